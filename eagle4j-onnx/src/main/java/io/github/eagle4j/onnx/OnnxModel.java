package io.github.eagle4j.onnx;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.family.ModelConfig;
import io.github.eagle4j.onnx.family.ModelFamilies;
import io.github.eagle4j.onnx.family.ModelFamily;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.runtime.DecoderCache;
import io.github.eagle4j.onnx.runtime.DirectBufferPool;
import io.github.eagle4j.onnx.runtime.ImageEmbedder;
import io.github.eagle4j.onnx.runtime.Logits;
import io.github.eagle4j.onnx.runtime.ModelGraphs;
import io.github.eagle4j.onnx.runtime.TensorScope;
import io.github.eagle4j.onnx.text.ChatTemplate;
import io.github.eagle4j.onnx.text.EncodedConversation;
import io.github.eagle4j.onnx.text.HfTokenizer;
import io.github.eagle4j.onnx.text.PromptEncoder;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.PromptToken;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vision-language model exported in the onnx-community layout, run in-process with ONNX Runtime. The family
 * ({@code config.json} {@code model_type}: LLaVA, …; see {@link #supportedModelTypes()}) decides the image
 * preprocessing, the image tokens in the prompt and the position ids.
 *
 * <pre>{@code
 * try (OnnxModel model = OnnxModel.open(Path.of("models/tiny-shapes-llava"))) {
 *     String answer = model.generate(image, "Describe the image.", 24).text();
 *     List<AnswerToken> tokens = model.answerTokens("Describe the image.", answer);
 *     TokenScorer scorer = model.scorer("Describe the image.", answer, TargetSelection.all(tokens));
 *     double[][] p = scorer.score(List.of(image, RgbImage.filled(image.width(), image.height(), 0)));
 * }
 * }</pre>
 *
 * <p>The directory must hold {@code onnx/vision_encoder.onnx}, {@code onnx/embed_tokens.onnx},
 * {@code onnx/decoder_model_merged.onnx} (or the precision variants {@link OnnxSettings#dtype()} picks, see
 * {@code GraphFiles}; weights may sit in {@code .onnx_data} files beside them), {@code config.json}, {@code tokenizer.json},
 * {@code tokenizer_config.json}, {@code preprocessor_config.json} and a chat template; {@code generation_config.json}
 * is read when present. Everything is cross-checked at {@link #open} (graph inputs and outputs, sizes, vocabulary,
 * image token), so a bad directory fails there with an {@link InvalidInputException} naming the file or field.
 *
 * <p>Thread-safe. Owns the ONNX Runtime sessions, the tokenizer and a small executor; close it when done.
 */
public final class OnnxModel implements VisionLanguageModel {
    private final Path dir;
    private final OnnxSettings settings;
    private final ModelConfig config;
    private final ModelFamily family;
    private final HfTokenizer tokenizer;
    private final ChatTemplate template;
    private final ModelGraphs graphs;
    private final PromptEncoder encoder;
    private final int batchSize;
    private final int parallel;
    private final Object executorLock = new Object();
    private ExecutorService executor;
    /** The model that owns the sessions, tokenizer and executor: this one, or the one a history view was made from. */
    private final OnnxModel root;

    private OnnxModel(Path dir, OnnxSettings settings, ModelConfig config, ModelFamily family, HfTokenizer tokenizer,
                      ChatTemplate template, ModelGraphs graphs, PromptEncoder encoder) {
        this.dir = dir;
        this.settings = settings;
        this.config = config;
        this.family = family;
        this.tokenizer = tokenizer;
        this.template = template;
        this.graphs = graphs;
        this.encoder = encoder;
        boolean gpu = graphs.device().startsWith("cuda");
        this.batchSize = settings.batchSize() > 0 ? settings.batchSize() : gpu ? 32 : 8;
        this.parallel = settings.parallel() > 0 ? settings.parallel() : gpu ? 1 : Runtime.getRuntime().availableProcessors();
        this.root = this;
    }

    /** A view of {@code root} whose prompts are rendered by {@code encoder} (with a history). */
    private OnnxModel(OnnxModel root, PromptEncoder encoder) {
        this.dir = root.dir;
        this.settings = root.settings;
        this.config = root.config;
        this.family = root.family;
        this.tokenizer = root.tokenizer;
        this.template = root.template;
        this.graphs = root.graphs;
        this.encoder = encoder;
        this.batchSize = root.batchSize;
        this.parallel = root.parallel;
        this.root = root;
    }

    /**
     * This model with {@code history} rendered before every prompt (docs/text.md, conversations); the view shares the
     * sessions, and closing it closes nothing. The history replaces any history of this view.
     *
     * @throws InvalidInputException when the chat template cannot render the conversation or a message holds the
     *                               image placeholder
     */
    @Override
    public OnnxModel withHistory(List<PromptMessage> history) {
        if (history.isEmpty() && encoder.history().isEmpty()) {
            return this;
        }
        return new OnnxModel(root, root.encoder.withHistory(history));
    }

    /** Opens a model directory with {@link OnnxSettings#defaults()}. */
    public static OnnxModel open(Path dir) {
        return open(dir, OnnxSettings.defaults());
    }

    /**
     * Opens and validates a model directory.
     *
     * @throws InvalidInputException with a message naming the file or field that is missing or does not fit
     */
    public static OnnxModel open(Path dir, OnnxSettings settings) {
        ModelDirectory md = ModelDirectory.open(dir);
        ModelConfig cfg = ModelConfig.read(md);
        md.require(ModelDirectory.TOKENIZER);
        md.require(ModelDirectory.TOKENIZER_CONFIG);
        ModelFamily family = ModelFamilies.open(md, cfg);
        ChatTemplate template = ChatTemplate.read(md);
        template.check();
        HfTokenizer tokenizer = HfTokenizer.load(md.require(ModelDirectory.TOKENIZER));
        ModelGraphs graphs = null;
        try {
            String imageToken = imageToken(md, cfg, tokenizer, template);
            graphs = ModelGraphs.open(md, cfg, family, settings);
            if (tokenizer.size() > graphs.vocab()) {
                throw new InvalidInputException(ModelDirectory.TOKENIZER + " has token ids up to " + (tokenizer.size() - 1)
                        + " but the model's vocabulary has " + graphs.vocab() + " entries (" + ModelDirectory.CONFIG
                        + " text_config.vocab_size and the decoder's logits)");
            }
            for (long eos : cfg.eosTokenIds()) {
                if (tokenizer.token(eos) == null) {
                    throw new InvalidInputException(ModelDirectory.GENERATION_CONFIG + ": eos_token_id " + eos + " is not a token of "
                            + ModelDirectory.TOKENIZER);
                }
            }
            PromptEncoder encoder = new PromptEncoder(template, tokenizer, imageToken, cfg.imageTokenId(), family,
                    new HashSet<>(cfg.eosTokenIds()), cfg.maxPositions());
            return new OnnxModel(md.root(), settings, cfg, family, tokenizer, template, graphs, encoder);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (graphs != null) {
                graphs.close();
            }
            throw e;
        }
    }

    /** The image placeholder string: the token whose id is the config's image token id, cross-checked with the processor files. */
    private static String imageToken(ModelDirectory md, ModelConfig cfg, HfTokenizer tokenizer, ChatTemplate template) {
        String token = tokenizer.token(cfg.imageTokenId());
        if (token == null) {
            throw new InvalidInputException(ModelDirectory.CONFIG + ": " + cfg.imageTokenField() + " " + cfg.imageTokenId() + " is not a token of "
                    + ModelDirectory.TOKENIZER);
        }
        List<String> named = new ArrayList<>();
        md.optionalJson(ModelDirectory.PROCESSOR_CONFIG)
                .flatMap(j -> JsonFields.optionalString(j, ModelDirectory.PROCESSOR_CONFIG, "image_token"))
                .ifPresent(named::add);
        template.specialToken("image_token").ifPresent(named::add);
        for (String n : named) {
            OptionalLong id = tokenizer.id(n);
            if (id.isEmpty() || id.getAsLong() != cfg.imageTokenId()) {
                throw new InvalidInputException(ModelDirectory.CONFIG + ": " + cfg.imageTokenField() + " " + cfg.imageTokenId() + " is token '" + token
                        + "' in " + ModelDirectory.TOKENIZER + ", but the processor files name the image token '" + n + "'");
            }
        }
        HfTokenizer.Encoded e = tokenizer.encode(token);
        if (e.ids().length != 1 || e.ids()[0] != cfg.imageTokenId()) {
            throw new InvalidInputException(ModelDirectory.TOKENIZER + ": the image token '" + token + "' does not tokenise to the single id "
                    + cfg.imageTokenId());
        }
        return token;
    }

    @Override
    public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
        return generate(List.of(image), prompt, maxNewTokens);
    }

    /**
     * The greedy answer to a prompt with several images, in order (one image part each in the user turn, before the
     * text). Every family here takes several images when its chat template renders one placeholder per image part.
     *
     * @throws InvalidInputException when an image is refused, the template renders one placeholder for several images,
     *                               or the images leave no room for an answer
     */
    @Override
    public Generation generate(List<RgbImage> images, String prompt, int maxNewTokens) {
        if (maxNewTokens < 1) {
            throw new InvalidInputException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (images.isEmpty()) {
            throw new InvalidInputException("no image given");
        }
        List<ImageLayout> layouts = new ArrayList<>();
        for (RgbImage image : images) {
            family.imageProcessor().validate(image);
            layouts.add(layout(image));
        }
        PromptEncoder.Prompt p = encoder.encodePrompt(prompt, layouts);
        ImageEmbedder embedder = new ImageEmbedder(graphs, family.imageProcessor(), p.ids(), config.imageTokenId(), layouts);
        long[][] positions = layouts.size() == 1 ? family.positionIds(p.ids(), layouts.get(0)) : family.positionIds(p.ids(), layouts);
        List<List<ImageInput>> inputs = new ArrayList<>();
        for (RgbImage image : images) {
            inputs.add(List.of(ImageInput.of(image)));
        }
        return generate(p, embedder, inputs, layouts, positions, maxNewTokens);
    }

    /**
     * The greedy answer to a prompt with one video (docs/frames.md): {@code frames} are the clip's sampled frames, in
     * order, all of one size; the family groups them into temporal patches.
     *
     * @throws InvalidInputException when the model takes no video, the frames differ in size or are too many, or the
     *                               video leaves no room for an answer
     */
    @Override
    public Generation generate(List<RgbImage> frames, io.github.eagle4j.VideoClip video, String prompt, int maxNewTokens) {
        if (maxNewTokens < 1) {
            throw new InvalidInputException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (frames.size() != video.count()) {
            throw new InvalidInputException(frames.size() + " frames for a video clip of " + video.count());
        }
        io.github.eagle4j.onnx.family.VideoSupport support = videoSupport();
        List<ImageLayout> layouts = support.layouts(video);
        PromptEncoder.Prompt p = videoEncoder().encodePrompt(prompt, layouts);
        ImageEmbedder embedder = new ImageEmbedder(graphs, support.processor(), p.ids(), support.tokenId(), layouts);
        List<ImageInput> patches = support.temporalPatches(ImageInput.of(frames));
        List<List<ImageInput>> inputs = new ArrayList<>();
        for (ImageInput patch : patches) {
            inputs.add(List.of(patch));
        }
        return generate(p, embedder, inputs, layouts, support.positionIds(p.ids(), video), maxNewTokens);
    }

    /** Greedy decoding after a prompt whose visual inputs are {@code inputs} (one list per visual item, batch of one). */
    private Generation generate(PromptEncoder.Prompt p, ImageEmbedder embedder, List<List<ImageInput>> inputs, List<ImageLayout> layouts,
                                long[][] positions, int maxNewTokens) {
        long nextPosition = ModelFamily.nextPosition(positions);
        List<Long> generated = new ArrayList<>();
        Set<Long> eos = new HashSet<>(config.eosTokenIds());
        boolean stopped = false;
        try (DecoderCache cache = graphs.newCache()) {
            long next = cache.step(embedder.embedsOfImages(inputs, layouts, null).asFloatBuffer(), embedder.seqLen(), positions);
            while (true) {
                generated.add(next);
                if (eos.contains(next)) {
                    stopped = true;
                    break;
                }
                // the model's positions end: stop as at the length limit rather than run past them
                if (generated.size() >= maxNewTokens
                        || (config.maxPositions() > 0 && p.ids().length + generated.size() >= config.maxPositions())) {
                    break;
                }
                float[] e = graphs.embed(new long[] {next});
                FloatBuffer buf = TensorScope.directFloats(e.length);
                buf.put(e);
                long[][] at = new long[positions.length][];
                for (int r = 0; r < at.length; r++) {
                    at[r] = new long[] {nextPosition};
                }
                nextPosition++;
                next = cache.step(buf, 1, at);
            }
        }
        List<AnswerToken> tokens = new ArrayList<>();
        List<Long> textIds = new ArrayList<>();
        int content = stopped ? generated.size() - 1 : generated.size();
        for (int i = 0; i < generated.size(); i++) {
            long id = generated.get(i);
            String token = tokenizer.token(id);
            // the embedding table may have rows the tokenizer lacks (padding, as in Qwen2-VL); name them, do not decode them
            tokens.add(new AnswerToken(i, token != null ? token : "<id " + id + " not in the tokenizer>", id));
            if (i < content && token != null) {
                textIds.add(id);
            }
        }
        return new Generation(tokenizer.decode(textIds.stream().mapToLong(Long::longValue).toArray(), true), tokens);
    }

    @Override
    public List<AnswerToken> answerTokens(String prompt, String answer) {
        return encode(prompt, answer).answerTokens();
    }

    /**
     * The rendered and tokenised conversation the scorer teacher-forces, for an image of the size the model probes
     * with (every size, for fixed-resolution families); for inspection and tests.
     */
    public EncodedConversation encode(String prompt, String answer) {
        return encoder.encode(prompt, answer, family.imageProcessor().probeLayout());
    }

    /** The rendered and tokenised conversation the scorer teacher-forces for an image of {@code width × height}. */
    public EncodedConversation encode(String prompt, String answer, int width, int height) {
        return encoder.encode(prompt, answer, family.imageProcessor().layout(width, height));
    }

    /** Position ids the decoder gets for a token sequence with one image of {@code width × height}: {@code [rows][ids.length]}. */
    public long[][] positionIds(long[] ids, int width, int height) {
        return family.positionIds(ids, family.imageProcessor().layout(width, height));
    }

    @Override
    public OnnxTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices) {
        return scorer(prompt, answer, targetIndices, batchSize);
    }

    /** A scorer with its own device batch size (≥ 1). */
    public OnnxTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, int batchSize) {
        return scorer(prompt, answer, answerTokens(prompt, answer), targetIndices, batchSize,
                layouts -> encoder.encode(prompt, answer, layouts), null);
    }

    /**
     * A scorer for a prompt with several images: each image it scores is a canvas of {@code frames} (the images side
     * by side, {@link FrameLayout#compose}), cut into the frames, which the prompt receives in order.
     *
     * @throws InvalidInputException as {@link #generate(List, String, int)}
     */
    @Override
    public OnnxTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, FrameLayout frames) {
        List<AnswerToken> tokens = encoder.encode(prompt, answer, frameLayouts(frames)).answerTokens();
        return scorer(prompt, answer, tokens, targetIndices, batchSize, layouts -> encoder.encode(prompt, answer, layouts), frames);
    }

    /** A scorer for the model's own generation on several images (see {@link #scorer(String, Generation, List)}). */
    @Override
    public OnnxTokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices, FrameLayout frames) {
        frameLayouts(frames);
        return scorer(prompt, generation.text(), generation.tokens(), targetIndices, batchSize, generated(encoder, prompt, generation), frames);
    }

    /**
     * A scorer for a prompt with one video: each image it scores is a canvas of {@code video.frames()} (the frames side
     * by side), cut into the frames, grouped into the family's temporal patches and given to the prompt as one video.
     *
     * @throws InvalidInputException as {@link #generate(List, io.github.eagle4j.VideoClip, String, int)}
     */
    @Override
    public OnnxTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, io.github.eagle4j.VideoClip video) {
        io.github.eagle4j.onnx.family.VideoSupport support = videoSupport();
        PromptEncoder videoEncoder = videoEncoder();
        List<AnswerToken> tokens = videoEncoder.encode(prompt, answer, support.layouts(video)).answerTokens();
        return scorer(prompt, answer, tokens, targetIndices, batchSize, layouts -> videoEncoder.encode(prompt, answer, layouts),
                video.frames(), video);
    }

    /** A scorer for the model's own generation on a video (see {@link #scorer(String, String, List, io.github.eagle4j.VideoClip)}). */
    @Override
    public OnnxTokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices, io.github.eagle4j.VideoClip video) {
        videoSupport().layouts(video);
        return scorer(prompt, generation.text(), generation.tokens(), targetIndices, batchSize, generated(videoEncoder(), prompt, generation),
                video.frames(), video);
    }

    /** How this model samples video frames; empty when its family or files declare no video input. */
    @Override
    public Optional<io.github.eagle4j.VideoSampling> videoSampling() {
        return family.video().map(io.github.eagle4j.onnx.family.VideoSupport::sampling);
    }

    /** The rendered and tokenised conversation the scorer teacher-forces for a video clip. */
    public EncodedConversation encode(String prompt, String answer, io.github.eagle4j.VideoClip video) {
        return videoEncoder().encode(prompt, answer, videoSupport().layouts(video));
    }

    /** Position ids the decoder gets for a token sequence with the video clip: {@code [rows][ids.length]}. */
    public long[][] positionIds(long[] ids, io.github.eagle4j.VideoClip video) {
        io.github.eagle4j.onnx.family.VideoSupport support = videoSupport();
        support.layouts(video);
        return support.positionIds(ids, video);
    }

    io.github.eagle4j.onnx.family.VideoSupport videoSupport() {
        return family.video().orElseThrow(() -> new InvalidInputException("model_type " + config.modelType()
                + " takes no video in eagle4j: video is read for Qwen2-VL and Qwen2.5-VL models whose " + ModelDirectory.CONFIG
                + " names " + io.github.eagle4j.onnx.family.VideoSupport.TOKEN_FIELD + " (docs/frames.md)"));
    }

    private PromptEncoder videoEncoder() {
        io.github.eagle4j.onnx.family.VideoSupport support = videoSupport();
        String token = tokenizer.token(support.tokenId());
        if (token == null) {
            throw new InvalidInputException(ModelDirectory.CONFIG + ": " + io.github.eagle4j.onnx.family.VideoSupport.TOKEN_FIELD + " "
                    + support.tokenId() + " is not a token of " + ModelDirectory.TOKENIZER);
        }
        return encoder.forVideo(token, support.tokenId());
    }

    /** Each frame's layout, the frames validated as images. */
    private List<ImageLayout> frameLayouts(FrameLayout frames) {
        List<ImageLayout> out = new ArrayList<>();
        for (FrameLayout.Frame f : frames.frames()) {
            family.imageProcessor().validate(RgbImage.filled(f.width(), f.height(), 0));
            out.add(family.imageProcessor().layout(f.width(), f.height()));
        }
        return out;
    }

    /** The rendered and tokenised conversation the scorer teacher-forces for several images of the given sizes, in order. */
    public EncodedConversation encode(String prompt, String answer, FrameLayout frames) {
        return encoder.encode(prompt, answer, frameLayouts(frames));
    }

    /** Position ids the decoder gets for a token sequence with the images of {@code frames}: {@code [rows][ids.length]}. */
    public long[][] positionIds(long[] ids, FrameLayout frames) {
        return family.positionIds(ids, frameLayouts(frames));
    }

    /** The generated tokens themselves (this backend teacher-forces token ids, so nothing is tokenised again). */
    @Override
    public List<AnswerToken> answerTokens(String prompt, Generation generation) {
        return generation.tokens();
    }

    /**
     * A scorer that teacher-forces exactly the generated tokens after the prompt, as generation produced them
     * (the generation's text tokenised again may differ).
     */
    @Override
    public OnnxTokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices) {
        return scorer(prompt, generation.text(), generation.tokens(), targetIndices, batchSize, generated(encoder, prompt, generation), null);
    }

    /** The prompt (for images of the given layouts) followed by the generated ids. */
    private static java.util.function.Function<List<ImageLayout>, EncodedConversation> generated(PromptEncoder encoder, String prompt,
                                                                                             Generation generation) {
        long[] generatedIds = generation.tokens().stream().mapToLong(AnswerToken::id).toArray();
        return layouts -> {
            PromptEncoder.Prompt p = encoder.encodePrompt(prompt, layouts);
            long[] ids = java.util.Arrays.copyOf(p.ids(), p.ids().length + generatedIds.length);
            System.arraycopy(generatedIds, 0, ids, p.ids().length, generatedIds.length);
            return new EncodedConversation(p.text(), p.text() + generation.text(), p.ids(), ids, generation.tokens());
        };
    }

    private OnnxTokenScorer scorer(String prompt, String answer, List<AnswerToken> tokens, List<Integer> targetIndices,
                                   int batchSize, java.util.function.Function<List<ImageLayout>, EncodedConversation> encoding,
                                   FrameLayout frames) {
        return scorer(prompt, answer, tokens, targetIndices, batchSize, encoding, frames, null);
    }

    private OnnxTokenScorer scorer(String prompt, String answer, List<AnswerToken> tokens, List<Integer> targetIndices,
                                   int batchSize, java.util.function.Function<List<ImageLayout>, EncodedConversation> encoding,
                                   FrameLayout frames, io.github.eagle4j.VideoClip video) {
        if (batchSize < 1) {
            throw new InvalidInputException(OnnxSettings.BATCH_SIZE + " must be at least 1, got " + batchSize);
        }
        if (tokens.isEmpty()) {
            throw new InvalidInputException("the answer has no tokens");
        }
        if (targetIndices.isEmpty()) {
            throw new InvalidInputException("no target tokens given");
        }
        List<Target> targets = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i : targetIndices) {
            if (i < 0 || i >= tokens.size()) {
                throw new InvalidInputException("target index " + i + " is outside the answer, which has " + tokens.size() + " tokens");
            }
            if (!seen.add(i)) {
                throw new InvalidInputException("target index " + i + " is given twice");
            }
            AnswerToken t = tokens.get(i);
            targets.add(new Target(i, t.text(), t.id()));
        }
        ScoringTask task = new ScoringTask(prompt, answer, tokens.stream().map(AnswerToken::text).toList(), targets, encoder.history());
        return new OnnxTokenScorer(this, task, batchSize, encoding, frames, video);
    }

    /**
     * Teacher-forced log-probabilities over the whole vocabulary at every position of one token sequence with one
     * image: row {@code i} is {@code log_softmax(logits[i])} in double precision, the distribution that predicts token
     * {@code i + 1}, computed as {@link OnnxTokenScorer} computes target probabilities. For tools that need more than
     * the targets, e.g. a loopback server that imitates an inference server in tests.
     *
     * @param ids token ids with the image placeholder expanded (exactly {@link #imageTokenCount(int, int)} image tokens)
     * @return {@code [ids.length][vocabulary]}
     */
    public double[][] logProbabilities(RgbImage image, long[] ids) {
        family.imageProcessor().validate(image);
        ImageLayout layout = layout(image);
        ImageEmbedder embedder = new ImageEmbedder(graphs, family.imageProcessor(), ids, config.imageTokenId(), layout);
        DirectBufferPool pool = new DirectBufferPool(1);
        ByteBuffer embeds = embedder.embeds(List.of(ImageInput.of(image)), layout, pool);
        int rows = graphs.logitsRows(ids.length, ids.length);
        ByteBuffer buf = pool.take(Logits.bytes(graphs.logitsType(), 1, rows, graphs.vocab()));
        Logits logits = graphs.logits(embeds.asFloatBuffer(), 1, ids.length, ids.length, buf, family.positionIds(ids, layout));
        double[][] out = new double[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = logits.logSoftmax(0, i);
        }
        return out;
    }

    /**
     * {@link #logProbabilities(RgbImage, long[])} for a sequence with several images, in order (docs/frames.md): each
     * image's placeholder run expanded to its own token count.
     */
    public double[][] logProbabilities(List<RgbImage> images, long[] ids) {
        if (images.size() == 1) {
            return logProbabilities(images.get(0), ids);
        }
        List<ImageLayout> layouts = new ArrayList<>();
        List<List<ImageInput>> inputs = new ArrayList<>();
        for (RgbImage image : images) {
            family.imageProcessor().validate(image);
            layouts.add(layout(image));
            inputs.add(List.of(ImageInput.of(image)));
        }
        ImageEmbedder embedder = new ImageEmbedder(graphs, family.imageProcessor(), ids, config.imageTokenId(), layouts);
        DirectBufferPool pool = new DirectBufferPool(1);
        ByteBuffer embeds = embedder.embedsOfImages(inputs, layouts, pool);
        int rows = graphs.logitsRows(ids.length, ids.length);
        ByteBuffer buf = pool.take(Logits.bytes(graphs.logitsType(), 1, rows, graphs.vocab()));
        Logits logits = graphs.logits(embeds.asFloatBuffer(), 1, ids.length, ids.length, buf, family.positionIds(ids, layouts));
        double[][] out = new double[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = logits.logSoftmax(0, i);
        }
        return out;
    }

    /**
     * The conversation's own tokens (the history's messages, then the prompt) in the sequence for an image of
     * {@code width × height}, with character offsets in their message: what text regions are cut from (see
     * {@link PromptEncoder#promptTokens}).
     */
    public List<PromptToken> promptTokens(String prompt, int width, int height) {
        return encoder.promptTokens(prompt, family.imageProcessor().layout(width, height));
    }

    List<PromptToken> promptTokens(String prompt, ImageLayout layout) {
        return encoder.promptTokens(prompt, layout);
    }

    /**
     * The conversation's own tokens in the sequence for several images of {@code layouts} or, with {@code video}, for
     * one video of those temporal patches.
     */
    List<PromptToken> promptTokens(String prompt, List<ImageLayout> layouts, boolean video) {
        return (video ? videoEncoder() : encoder).promptTokens(prompt, layouts);
    }

    /**
     * The id {@code --text-mask pad} writes over removed prompt tokens: the tokenizer's pad token, else its unknown
     * token; empty when it has neither.
     */
    public OptionalLong textPadTokenId() {
        for (String name : List.of("pad_token", "unk_token")) {
            Optional<String> token = template.specialToken(name);
            if (token.isPresent()) {
                OptionalLong id = tokenizer.id(token.get());
                if (id.isPresent()) {
                    return id;
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The model's chat template (its special tokens, e.g. {@code image_token}, {@code eos_token}, included). */
    public ChatTemplate chatTemplate() {
        return template;
    }

    @Override
    public ScorerDescription description() {
        return new ScorerDescription("onnx", dir.toString(), graphs.files().dtype() + " " + graphs.device(), false);
    }

    /** The model directory. */
    public Path directory() {
        return dir;
    }

    /** The precision variant loaded ({@code fp32}, {@code fp16}, …; {@code auto} resolved). */
    public String dtype() {
        return graphs.files().dtype();
    }

    /** The settings the model was opened with. */
    public OnnxSettings settings() {
        return settings;
    }

    /** The model family's name ({@code llava}, …). */
    public String familyName() {
        return family.name();
    }

    /** The {@code config.json} {@code model_type} values this backend can open. */
    public static java.util.Set<String> supportedModelTypes() {
        return ModelFamilies.supportedModelTypes();
    }

    ModelFamily family() {
        return family;
    }

    private ImageLayout layout(RgbImage image) {
        return family.imageProcessor().layout(image.width(), image.height());
    }

    /** The tokenizer. */
    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    /** The longest token sequence the model takes ({@code config.json max_position_embeddings}), or 0 when it names none. */
    public int maxPositions() {
        return config.maxPositions();
    }

    /**
     * Image tokens an image of {@code width × height} becomes (feature rows of the vision encoder); masked copies of
     * an image keep its size and so its count.
     */
    public int imageTokenCount(int width, int height) {
        return family.imageProcessor().layout(width, height).imageTokens();
    }

    /** Device the sessions run on: {@code cpu} or {@code cuda:N}. */
    public String device() {
        return graphs.device();
    }

    /** Images per model call for scorers made by {@link #scorer(String, String, List)}. */
    public int batchSize() {
        return batchSize;
    }

    /** Model calls that run side by side when a scorer gets more images than one batch. */
    public int parallelRuns() {
        return parallel;
    }

    /** Nanoseconds spent inside ONNX Runtime {@code run} calls so far, summed over threads. */
    public long ortNanos() {
        return graphs.ortNanos();
    }

    long imageTokenId() {
        return config.imageTokenId();
    }

    ModelGraphs graphs() {
        return graphs;
    }

    ExecutorService executor() {
        if (root != this) {
            return root.executor();
        }
        synchronized (executorLock) {
            if (executor == null) {
                AtomicInteger n = new AtomicInteger();
                ThreadFactory f = r -> {
                    Thread t = new Thread(r, "eagle4j-onnx-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
                executor = Executors.newFixedThreadPool(parallel, f);
            }
            return executor;
        }
    }

    @Override
    public void close() {
        if (root != this) {
            return; // a history view: the model it was made from owns the resources
        }
        synchronized (executorLock) {
            if (executor != null) {
                executor.shutdownNow();
                executor = null;
            }
        }
        graphs.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxModel[" + dir + ", " + description().precision() + "]";
    }
}

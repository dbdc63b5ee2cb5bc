package io.github.eagle4j.openai;

import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.onnx.OnnxModel;
import io.github.eagle4j.onnx.text.ChatTemplate;
import io.github.eagle4j.onnx.text.HfTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bundled tiny LLaVA run in-process, as the loopback servers use it: the model's own chat template, tokenizer and
 * full-vocabulary log-probabilities. One instance per test JVM.
 */
final class TinyModel {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path MODEL_DIR = REPO.resolve("models/tiny-shapes-llava");
    static final Path SCENE = REPO.resolve("fixtures/goldens/tiny-shapes-llava/scene.png");
    /** The tiny model's template as a {@link ChatFormat}, for SGLang. */
    static final String CHAT_FORMAT = "<s>{history}USER: <image>\\n{prompt} ASSISTANT:{gen} {answer} </s>";

    private static TinyModel instance;

    final OnnxModel model;
    final HfTokenizer tokenizer;
    final ChatTemplate template;
    final String imageToken;
    final long imageTokenId;
    final long eosId;

    private TinyModel() {
        model = OnnxModel.open(MODEL_DIR);
        tokenizer = model.tokenizer();
        template = model.chatTemplate();
        imageToken = template.specialToken("image_token").orElseThrow();
        imageTokenId = tokenizer.id(imageToken).orElseThrow();
        eosId = tokenizer.id(template.specialToken("eos_token").orElseThrow()).orElseThrow();
    }

    static synchronized TinyModel get() {
        if (instance == null) {
            instance = new TinyModel();
        }
        return instance;
    }

    static RgbImage scene() {
        return ImageFiles.read(SCENE);
    }

    /** Renders HF-style messages the way transformers' {@code apply_chat_template} does. */
    String render(List<Map<String, Object>> messages, boolean addGenerationPrompt, boolean continueFinalMessage) {
        return render(template, messages, addGenerationPrompt, continueFinalMessage);
    }

    /** {@link #render(List, boolean, boolean)} with any model's template. */
    static String render(ChatTemplate template, List<Map<String, Object>> messages, boolean addGenerationPrompt,
                         boolean continueFinalMessage) {
        String rendered = template.render(messages, addGenerationPrompt && !continueFinalMessage);
        if (!continueFinalMessage) {
            return rendered;
        }
        Object content = messages.get(messages.size() - 1).get("content");
        String last = content instanceof String s ? s : null;
        if (content instanceof List<?> parts) {
            for (int i = parts.size() - 1; i >= 0 && last == null; i--) {
                Object text = ((Map<?, ?>) parts.get(i)).get("text");
                if (text != null) {
                    last = text.toString();
                }
            }
        }
        String tag = last == null ? "" : last.strip();
        int at = rendered.lastIndexOf(tag);
        if (at < 0) {
            throw new IllegalArgumentException("final message not in the rendered chat");
        }
        return rendered.substring(0, at + tag.length());
    }

    /**
     * Token ids of a rendered text, every image placeholder expanded when {@code images} is at least 1.
     *
     * @throws IllegalArgumentException when the text holds another number of placeholders than {@code images}
     */
    HfTokenizer.Encoded tokenize(String rendered, int images) {
        String text = rendered;
        if (images >= 1) {
            int placeholders = (rendered.length() - rendered.replace(imageToken, "").length()) / imageToken.length();
            if (placeholders != images) {
                throw new IllegalArgumentException(placeholders + " image placeholders in the text for " + images + " images");
            }
            text = rendered.replace(imageToken, imageToken.repeat(model.imageTokenCount(64, 64)));
        }
        return tokenizer.encode(text);
    }

    double[][] logProbs(RgbImage image, long[] ids) {
        return model.logProbabilities(image, ids);
    }

    double[][] logProbs(List<RgbImage> images, long[] ids) {
        return model.logProbabilities(images, ids);
    }

    static int argmax(double[] row) {
        int best = 0;
        for (int v = 1; v < row.length; v++) {
            if (row[v] > row[best]) {
                best = v;
            }
        }
        return best;
    }

    /** Greedy continuation: generated ids (eos included when reached) and the log-probability of each. */
    record Greedy(long[] ids, double[] logprobs, double[][] rows, boolean stopped) {
    }

    Greedy greedy(RgbImage image, long[] prompt, int maxNew) {
        return greedy(List.of(image), prompt, maxNew);
    }

    Greedy greedy(List<RgbImage> images, long[] prompt, int maxNew) {
        List<Long> out = new ArrayList<>();
        List<Double> lps = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        long[] ids = prompt;
        boolean stopped = false;
        while (out.size() < maxNew) {
            double[][] lp = logProbs(images, ids);
            double[] row = lp[ids.length - 1];
            int next = argmax(row);
            out.add((long) next);
            lps.add(row[next]);
            rows.add(row);
            if (next == eosId) {
                stopped = true;
                break;
            }
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = next;
        }
        return new Greedy(out.stream().mapToLong(Long::longValue).toArray(), lps.stream().mapToDouble(Double::doubleValue).toArray(),
                rows.toArray(new double[0][]), stopped);
    }

    /** Decoded text without special tokens, as transformers' {@code decode(..., skip_special_tokens=True)}. */
    String decode(long[] ids) {
        long[] kept = Arrays.stream(ids).filter(id -> id != eosId).toArray();
        return tokenizer.decode(kept, true);
    }

    String token(long id) {
        return tokenizer.token(id);
    }
}

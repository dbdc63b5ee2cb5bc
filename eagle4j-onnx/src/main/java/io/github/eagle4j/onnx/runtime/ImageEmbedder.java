package io.github.eagle4j.onnx.runtime;

import io.github.eagle4j.ScoringException;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Builds the decoder's {@code inputs_embeds} for a batch of images and one token sequence: the sequence's token
 * embeddings (computed once) copied per batch entry, with the vision encoder's features written over the image-token
 * positions, in order (the masked scatter of transformers and transformers.js). A sequence may hold several images
 * (one run of image tokens each, in order): then every batch entry brings one image per layout, and image k's features
 * fill the image-token positions after those of images 0..k-1. The sequence must hold exactly the layouts' image
 * tokens, and the encoder must emit as many feature rows per image.
 */
public final class ImageEmbedder {
    private final ModelGraphs graphs;
    private final ImageProcessor processor;
    private final List<ImageLayout> layouts;
    private final float[] tokenEmbeds;
    private final int[] imagePositions;
    private final int seqLen;
    private final int hidden;

    /**
     * @param ids          the token sequence (image tokens expanded for {@code layout})
     * @param imageTokenId the id whose positions receive image features
     * @param layout       the layout of every image this embedder gets
     */
    public ImageEmbedder(ModelGraphs graphs, ImageProcessor processor, long[] ids, long imageTokenId, ImageLayout layout) {
        this(graphs, processor, ids, imageTokenId, List.of(layout));
    }

    /**
     * @param ids          the token sequence (image tokens expanded for each of {@code layouts}, in order)
     * @param imageTokenId the id whose positions receive image features
     * @param layouts      the layout of each image of the sequence, in order
     */
    public ImageEmbedder(ModelGraphs graphs, ImageProcessor processor, long[] ids, long imageTokenId, List<ImageLayout> layouts) {
        this.graphs = graphs;
        this.processor = processor;
        this.layouts = List.copyOf(layouts);
        this.seqLen = ids.length;
        this.hidden = graphs.hidden();
        int count = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                count++;
            }
        }
        int expected = this.layouts.stream().mapToInt(ImageLayout::imageTokens).sum();
        if (count != expected) {
            throw new ScoringException("the sequence has " + count + " image tokens but its images " + this.layouts + " make " + expected);
        }
        this.imagePositions = new int[count];
        for (int i = 0, k = 0; i < ids.length; i++) {
            if (ids[i] == imageTokenId) {
                imagePositions[k++] = i;
            }
        }
        this.tokenEmbeds = graphs.embed(ids);
        if (tokenEmbeds.length != (long) seqLen * hidden) {
            throw new ScoringException("embed_tokens returned " + tokenEmbeds.length + " values for " + seqLen + " tokens of size " + hidden);
        }
    }

    public int seqLen() {
        return seqLen;
    }

    /** {@code inputs_embeds [images.size(), seqLen, hidden]} for images of {@code layout}, in a fresh direct buffer. */
    public FloatBuffer embeds(List<ImageInput> images, ImageLayout layout) {
        return embeds(images, layout, null).asFloatBuffer();
    }

    /**
     * {@code inputs_embeds [images.size(), seqLen, hidden]} for a one-image sequence and images of {@code layout} (whose
     * token key must be this embedder's), in a direct buffer taken from {@code pool} (or fresh when it is null); the
     * caller gives it back when the decoder has run.
     */
    public ByteBuffer embeds(List<ImageInput> images, ImageLayout layout, DirectBufferPool pool) {
        if (layouts.size() != 1 || !layout.tokenKey().equals(layouts.get(0).tokenKey())) {
            throw new ScoringException("images of layout " + layout + " for a sequence made for " + layouts);
        }
        return embedsOfImages(List.of(images), List.of(layout), pool);
    }

    /**
     * {@code inputs_embeds [batch, seqLen, hidden]} for a sequence of several images: {@code images.get(k)} holds image
     * k of every batch entry, all of the size of {@code layouts.get(k)}, whose token key must be the k-th of this
     * embedder's (so every inner list has the batch's length).
     */
    public ByteBuffer embedsOfImages(List<List<ImageInput>> images, List<ImageLayout> layouts, DirectBufferPool pool) {
        if (images.size() != this.layouts.size() || layouts.size() != this.layouts.size()) {
            throw new ScoringException(images.size() + " images per sequence for a sequence made for " + this.layouts.size());
        }
        for (int k = 0; k < layouts.size(); k++) {
            if (!layouts.get(k).tokenKey().equals(this.layouts.get(k).tokenKey())) {
                throw new ScoringException("images of layout " + layouts.get(k) + " for a sequence made for " + this.layouts.get(k));
            }
        }
        int batch = images.get(0).size();
        float[][] feats = new float[layouts.size()][];
        boolean[] repeated = new boolean[layouts.size()];
        for (int k = 0; k < layouts.size(); k++) {
            List<ImageInput> kth = images.get(k);
            if (kth.size() != batch) {
                throw new ScoringException("image " + k + " has " + kth.size() + " batch entries, image 0 has " + batch);
            }
            // one image repeated (prompt text masked, image intact): its features are computed once
            repeated[k] = batch > 1 && kth.stream().allMatch(i -> i == kth.get(0));
            feats[k] = graphs.features(repeated[k] ? kth.subList(0, 1) : kth, layouts.get(k), processor, pool);
        }
        long outBytes = (long) batch * seqLen * hidden * Float.BYTES;
        ByteBuffer outBytesBuf = pool != null ? pool.take(outBytes) : TensorScope.directBytes(outBytes);
        FloatBuffer out = outBytesBuf.asFloatBuffer();
        for (int b = 0; b < batch; b++) {
            int rowBase = b * seqLen * hidden;
            out.put(rowBase, tokenEmbeds, 0, tokenEmbeds.length);
            int p = 0;
            for (int k = 0; k < layouts.size(); k++) {
                int n = layouts.get(k).imageTokens();
                int entry = repeated[k] ? 0 : b;
                for (int j = 0; j < n; j++, p++) {
                    out.put(rowBase + imagePositions[p] * hidden, feats[k], (entry * n + j) * hidden, hidden);
                }
            }
        }
        return outBytesBuf;
    }
}

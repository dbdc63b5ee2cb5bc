package io.github.eagle4j.onnx.runtime;

import io.github.eagle4j.ScoringException;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Builds the decoder's {@code inputs_embeds} for a batch of images of one size and one token sequence: the
 * sequence's token embeddings (computed once) copied per image, with the vision encoder's features written over
 * the image-token positions, in order (the masked scatter of transformers and transformers.js). The sequence must
 * hold exactly the layout's image tokens, and the encoder must emit as many feature rows per image.
 */
public final class ImageEmbedder {
    private final ModelGraphs graphs;
    private final ImageProcessor processor;
    private final ImageLayout layout;
    private final float[] tokenEmbeds;
    private final int[] imagePositions;
    private final int seqLen;
    private final int hidden;

    /**
     * @param ids          the token sequence (image tokens expanded for {@code layout})
     * @param imageTokenId the id whose positions receive image features
     * @param layout       the layout of every image this embedder gets
     */
  public   ImageEmbedder(ModelGraphs graphs, ImageProcessor processor, long[] ids, long imageTokenId, ImageLayout layout) {
        this.graphs = graphs;
        this.processor = processor;
        this.layout = layout;
        this.seqLen = ids.length;
        this.hidden = graphs.hidden();
        int count = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                count++;
            }
        }
        if (count != layout.imageTokens()) {
            throw new ScoringException("the sequence has " + count + " image tokens but an image of " + layout.width() + "x"
                    + layout.height() + " makes " + layout.imageTokens());
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
     * {@code inputs_embeds [images.size(), seqLen, hidden]} for images of {@code layout} (whose token key must be this
     * embedder's), in a direct buffer taken from {@code pool} (or fresh when it is null); the caller gives it back when
     * the decoder has run.
     */
    public ByteBuffer embeds(List<ImageInput> images, ImageLayout layout, DirectBufferPool pool) {
        if (!layout.tokenKey().equals(this.layout.tokenKey())) {
            throw new ScoringException("images of layout " + layout + " for a sequence made for " + this.layout);
        }
        int batch = images.size();
        // one image repeated (prompt text masked, image intact): its features are computed once
        boolean repeated = batch > 1 && images.stream().allMatch(i -> i == images.get(0));
        float[] feats = graphs.features(repeated ? images.subList(0, 1) : images, layout, processor, pool);
        long outBytes = (long) batch * seqLen * hidden * Float.BYTES;
        ByteBuffer outBytesBuf = pool != null ? pool.take(outBytes) : TensorScope.directBytes(outBytes);
        FloatBuffer out = outBytesBuf.asFloatBuffer();
        int n = imagePositions.length;
        for (int b = 0; b < batch; b++) {
            int rowBase = b * seqLen * hidden;
            out.put(rowBase, tokenEmbeds, 0, tokenEmbeds.length);
            for (int k = 0; k < n; k++) {
                out.put(rowBase + imagePositions[k] * hidden, feats, ((repeated ? 0 : b) * n + k) * hidden, hidden);
            }
        }
        return outBytesBuf;
    }
}

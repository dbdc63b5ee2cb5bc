package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The raw ONNX Runtime throughput of the scoring path: the vision encoder and the decoder prefill run as a
 * scorer runs them (same graphs, batch size, sequence, logits rows and runs side by side), but on tensors prepared
 * once, so nothing outside ONNX Runtime is measured: no search, masking, resizing, normalising or copying. It is
 * the ceiling that {@code eagle bench --explain} compares an explanation's images per second with.
 */
public final class PreparedRuns {
    private PreparedRuns() {
    }

    /**
     * Images scored and the wall time they took.
     *
     * @param images images run through both graphs
     * @param nanos  wall time of the timed loops (the longest thread's)
     */
    public record Measurement(long images, long nanos) {
        /** {@code images / seconds}. */
        public double imagesPerSecond() {
            return images / (nanos / 1e9);
        }
    }

    /**
     * What {@code parallel} threads do that each repeat one vision run and one decoder run on a batch of
     * {@code batch} copies of {@code image}, for at least {@code minTime} after one untimed warm-up pair per thread.
     *
     * @param embedder  the scorer's sequence (its token embeddings and image positions)
     * @param positions the sequence's position ids
     * @param keepLast  final positions that need logits (as the scorer asks)
     */
    public static Measurement measure(ModelGraphs graphs, ImageProcessor processor, ImageEmbedder embedder,
                                         ImageInput image, ImageLayout layout, long[][] positions, int keepLast, int batch,
                                         int parallel, Duration minTime) {
        CyclicBarrier start = new CyclicBarrier(parallel);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] images = new long[parallel];
        long[] nanos = new long[parallel];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < parallel; t++) {
            int slot = t;
            Thread th = new Thread(() -> {
                try {
                    long[] r = loop(graphs, processor, embedder, image, layout, positions, keepLast, batch, minTime, start);
                    images[slot] = r[0];
                    nanos[slot] = r[1];
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    start.reset();
                }
            }, "eagle4j-raw-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScoringException("interrupted while measuring", e);
            }
        }
        if (failure.get() != null) {
            Throwable e = failure.get();
            throw e instanceof RuntimeException re ? re : new ScoringException("measuring failed: " + e, e);
        }
        long total = 0;
        long wall = 0;
        for (int t = 0; t < parallel; t++) {
            total += images[t];
            wall = Math.max(wall, nanos[t]);
        }
        return new Measurement(total, wall);
    }

    /** One thread's timed loop: {images, nanoseconds}. */
    private static long[] loop(ModelGraphs graphs, ImageProcessor processor, ImageEmbedder embedder, ImageInput image,
                               ImageLayout layout, long[][] positions, int keepLast, int batch, Duration minTime,
                               CyclicBarrier start) throws Exception {
        // the argument types the scorer passes (array lists, a buffer pool): the shared code called once with other
        // list classes would make the JIT throw away and recompile the scorer's compiled code after every raw phase
        List<ImageInput> copies = new ArrayList<>(Collections.nCopies(batch, image));
        List<List<ImageInput>> byImage = new ArrayList<>();
        byImage.add(copies);
        List<ImageLayout> layouts = new ArrayList<>();
        layouts.add(layout);
        DirectBufferPool pool = new DirectBufferPool(1);
        int step = Math.max(1, Math.min(batch, processor.imagesPerVisionRun()));
        int seqLen = embedder.seqLen();
        int rows = graphs.logitsRows(seqLen, keepLast);
        ByteBuffer embeds = embedder.embedsOfImages(byImage, layouts, pool);
        ByteBuffer logits = TensorScope.directBytes(Logits.bytes(graphs.logitsType(), batch, rows, graphs.vocab()));
        try (TensorScope scope = new TensorScope(graphs.env(), pool)) {
            Map<String, OnnxTensor> vision = processor.visionInputs(step == batch ? copies : copies.subList(0, step), layout, scope);
            Map<String, OnnxTensor> decoder = graphs.signature().decoderInputs(scope, embeds.asFloatBuffer(), batch, seqLen,
                    0, null, rows, positions);
            Map<String, OnnxValue> out = Map.of("logits", scope.bytes(logits, graphs.logitsType(), batch, rows, graphs.vocab()));
            runPair(graphs, vision, decoder, out, batch, step);
            start.await();
            long t0 = System.nanoTime();
            long minNanos = minTime.toNanos();
            long images = 0;
            do {
                runPair(graphs, vision, decoder, out, batch, step);
                images += batch;
            } while (System.nanoTime() - t0 < minNanos);
            return new long[] {images, System.nanoTime() - t0};
        } catch (OrtException e) {
            throw new ScoringException("a prepared run failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    private static void runPair(ModelGraphs graphs, Map<String, OnnxTensor> vision, Map<String, OnnxTensor> decoder,
                                Map<String, OnnxValue> out, int batch, int step) throws OrtException {
        for (int from = 0; from < batch; from += step) {
            graphs.runVision(vision);
        }
        graphs.runDecoder(decoder, Set.of(), out).close();
    }
}

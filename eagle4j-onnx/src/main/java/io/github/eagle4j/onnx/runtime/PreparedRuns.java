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
 *
 * <p>The tensors are prepared once, from masked images as an explanation's, not per measurement: preparing them from a
 * plain image's copies took branches of the shared embedding and preprocessing code that an explanation never takes,
 * and each time the JIT compiler threw away and recompiled that code (0.1–0.5 s of compiling per method) while the
 * next explanation was being timed.
 */
public final class PreparedRuns implements AutoCloseable {
    private final ModelGraphs graphs;
    private final int batch;
    private final int step;
    /** One set of inputs and outputs per run side by side. */
    private final List<Run> runs;

    /** One run's tensors: its vision and decoder inputs and its logits output. */
    private record Run(TensorScope scope, Map<String, OnnxTensor> vision, Map<String, OnnxTensor> decoder,
                       Map<String, OnnxValue> out) {
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

    private PreparedRuns(ModelGraphs graphs, int batch, int step, List<Run> runs) {
        this.graphs = graphs;
        this.batch = batch;
        this.step = step;
        this.runs = runs;
    }

    /**
     * Prepares {@code parallel} runs' tensors, each a vision run and a decoder run on a batch of {@code images}.
     *
     * @param images    a batch as a scorer gets it (masked images of one batch, each its own entry): the shared code then
     *                  takes the branches it takes in an explanation, and the JIT compiler keeps what it compiled
     * @param embedder  the scorer's sequence (its token embeddings and image positions)
     * @param positions the sequence's position ids
     * @param keepLast  final positions that need logits (as the scorer asks)
     */
    public static PreparedRuns prepare(ModelGraphs graphs, ImageProcessor processor, ImageEmbedder embedder,
                                       List<ImageInput> images, ImageLayout layout, long[][] positions, int keepLast,
                                       int parallel) {
        int batch = images.size();
        // the argument types the scorer passes (array lists, a buffer pool), so that the JIT compiler sees one kind
        List<ImageInput> copies = new ArrayList<>(images);
        List<List<ImageInput>> byImage = new ArrayList<>();
        byImage.add(copies);
        List<ImageLayout> layouts = new ArrayList<>();
        layouts.add(layout);
        DirectBufferPool pool = new DirectBufferPool(1);
        int step = Math.max(1, Math.min(batch, processor.imagesPerVisionRun()));
        int seqLen = embedder.seqLen();
        int rows = graphs.logitsRows(seqLen, keepLast);
        List<TensorScope> scopes = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        try {
            for (int t = 0; t < parallel; t++) {
                TensorScope scope = new TensorScope(graphs.env(), pool);
                scopes.add(scope);
                ByteBuffer embeds = embedder.embedsOfImages(byImage, layouts, pool);
                ByteBuffer logits = TensorScope.directBytes(Logits.bytes(graphs.logitsType(), batch, rows, graphs.vocab()));
                Map<String, OnnxTensor> vision = processor.visionInputs(step == batch ? copies : copies.subList(0, step), layout, scope);
                Map<String, OnnxTensor> decoder = graphs.signature().decoderInputs(scope, embeds.asFloatBuffer(), batch, seqLen,
                        0, null, rows, positions);
                Map<String, OnnxValue> out = Map.of("logits", scope.bytes(logits, graphs.logitsType(), batch, rows, graphs.vocab()));
                runs.add(new Run(scope, vision, decoder, out));
            }
        } catch (OrtException e) {
            scopes.forEach(TensorScope::close);
            throw new ScoringException("preparing the raw runs failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            scopes.forEach(TensorScope::close);
            throw e;
        }
        return new PreparedRuns(graphs, batch, step, List.copyOf(runs));
    }

    /**
     * What the prepared runs do side by side, each in its own thread repeating one vision run and one decoder run, for at
     * least {@code minTime} after one untimed warm-up pair per thread.
     */
    public Measurement measure(Duration minTime) {
        int parallel = runs.size();
        CyclicBarrier start = new CyclicBarrier(parallel);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] images = new long[parallel];
        long[] nanos = new long[parallel];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < parallel; t++) {
            int slot = t;
            Thread th = new Thread(() -> {
                try {
                    long[] r = loop(runs.get(slot), minTime, start);
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
    private long[] loop(Run run, Duration minTime, CyclicBarrier start) throws Exception {
        try {
            runPair(run);
            start.await();
            long t0 = System.nanoTime();
            long minNanos = minTime.toNanos();
            long images = 0;
            do {
                runPair(run);
                images += batch;
            } while (System.nanoTime() - t0 < minNanos);
            return new long[] {images, System.nanoTime() - t0};
        } catch (OrtException e) {
            throw new ScoringException("a prepared run failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    private void runPair(Run run) throws OrtException {
        for (int from = 0; from < batch; from += step) {
            graphs.runVision(run.vision());
        }
        graphs.runDecoder(run.decoder(), Set.of(), run.out()).close();
    }

    /** Releases the prepared tensors. */
    @Override
    public void close() {
        runs.forEach(r -> r.scope().close());
    }
}

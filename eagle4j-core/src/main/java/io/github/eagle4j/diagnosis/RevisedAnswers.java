package io.github.eagle4j.diagnosis;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Re-generates an answer along a region order (docs/method.md §10): for k = 1..N, the model's greedy answer to
 * the same prompt with only the first k regions kept (the others filled as during the search).
 *
 * <p>Generation is one image at a time; with {@code parallelism > 1} the N generations run side by side on a
 * small pool of daemon threads, which needs a model whose {@code generate} is thread-safe (the ONNX backend's
 * is). The answers do not depend on the parallelism.
 */
public final class RevisedAnswers {
    private RevisedAnswers() {
    }

    /**
     * The N answers, index k−1 for the first k regions of {@code order}.
     *
     * @param parallelism   generations run side by side (1 = in the calling thread)
     * @param listener      told after each answer: (answers done, N, answers done)
     * @throws io.github.eagle4j.EagleException (or the model's runtime exception) when a generation fails
     */
    public static List<String> generate(VisionLanguageModel model, Masker masker, int[] order, String prompt,
                                        int maxNewTokens, int parallelism, ProgressListener listener) {
        return generate(model, masker, null, order, prompt, maxNewTokens, parallelism, listener);
    }

    /**
     * As {@link #generate(VisionLanguageModel, Masker, int[], String, int, int, ProgressListener)} for the frames of a
     * video: each masked canvas is cut into {@code video}'s frames, which the model receives as one video.
     *
     * @param video the video the masker's frames are the sampled frames of, or null for images
     */
    public static List<String> generate(VisionLanguageModel model, Masker masker, VideoClip video, int[] order, String prompt,
                                        int maxNewTokens, int parallelism, ProgressListener listener) {
        int n = order.length;
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be ≥ 1, got " + parallelism);
        }
        List<RgbImage> images = new ArrayList<>(n);
        BitSet kept = new BitSet(masker.regions().regionCount());
        for (int k = 1; k <= n; k++) {
            kept.set(order[k - 1]);
            images.add(masker.keep(kept));
        }
        AtomicInteger done = new AtomicInteger();
        if (parallelism == 1 || n == 1) {
            List<String> out = new ArrayList<>(n);
            for (RgbImage img : images) {
                out.add(generate(model, masker, video, img, prompt, maxNewTokens));
                int d = done.incrementAndGet();
                listener.onProgress(d, n, d);
            }
            return out;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, n), r -> {
            Thread t = new Thread(r, "eagle4j-regenerate-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>(n);
            for (RgbImage img : images) {
                futures.add(pool.submit(() -> {
                    String text = generate(model, masker, video, img, prompt, maxNewTokens);
                    synchronized (done) {
                        int d = done.incrementAndGet();
                        listener.onProgress(d, n, d);
                    }
                    return text;
                }));
            }
            List<String> out = new ArrayList<>(n);
            for (Future<String> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.github.eagle4j.EagleException("interrupted while re-generating answers", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new io.github.eagle4j.EagleException("re-generating an answer failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One answer on a masked image; a canvas of several images or of a video's frames is cut into them (docs/frames.md). */
    private static String generate(VisionLanguageModel model, Masker masker, VideoClip video, RgbImage img, String prompt,
                                   int maxNewTokens) {
        if (video != null) {
            return model.generate(video.frames().split(img), video, prompt, maxNewTokens).text();
        }
        return masker.frames().count() > 1 ? model.generate(masker.frames().split(img), prompt, maxNewTokens).text()
                : model.generate(img, prompt, maxNewTokens).text();
    }
}

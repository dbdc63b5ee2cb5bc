package io.github.eagle4j.openai;

import io.github.eagle4j.EagleException;
import io.github.eagle4j.ScoringException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of daemon threads that bounds the requests in flight: {@link #all} runs independent blocking calls side
 * by side and returns their results in input order, or the first failure after cancelling the rest.
 */
final class Workers implements AutoCloseable {
    private final ExecutorService pool;
    private final int size;

    Workers(int size, String name) {
        this.size = size;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int size() {
        return size;
    }

    <T> List<T> all(List<Callable<T>> tasks) {
        if (tasks.size() == 1) {
            try {
                return List.of(tasks.get(0).call());
            } catch (EagleException e) {
                throw e;
            } catch (Exception e) {
                throw new ScoringException("request failed: " + e, e);
            }
        }
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            futures.add(pool.submit(t));
        }
        List<T> out = new ArrayList<>(tasks.size());
        try {
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ScoringException("interrupted while waiting for the server", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof EagleException ee) {
                throw ee;
            }
            throw new ScoringException("request failed: " + c, c);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

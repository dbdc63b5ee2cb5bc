package io.github.eagle4j.search;

/**
 * eagle4j's own early-stop rule (docs/method.md §7; the authors' module is unpublished), an option of
 * {@link FullGreedySearch} and {@link LazyGreedySearch}.
 *
 * <p>After step k the search stops when {@code F_k ≥ F(V) − ε·|F(V)|}, where {@code F(V)} is the objective
 * of the pair (original image, blank image). The regions not yet placed are appended in the order of their
 * most recent evaluation (value descending, ties by lower id) and their curve points are linearly
 * interpolated, over the area axis, between the last measured point and the original/blank point. Those
 * points are marked {@link SearchStep#interpolated()} and the trace {@link SearchTrace#approximate()}.
 * The final point is the original/blank pair itself, which is measured, so stopping with a single region left
 * interpolates nothing.
 *
 * @param epsilon relative tolerance ε ≥ 0 below F(V); 0 stops only once F(V) itself is reached
 */
public record EarlyStop(double epsilon) {
    /** ε = 0.01. */
    public static final double DEFAULT_EPSILON = 0.01;

    /** Early stop with {@link #DEFAULT_EPSILON}. */
    public static final EarlyStop DEFAULT = new EarlyStop(DEFAULT_EPSILON);

    /** @throws IllegalArgumentException when ε is negative or not finite */
    public EarlyStop {
        if (!Double.isFinite(epsilon) || epsilon < 0) {
            throw new IllegalArgumentException("early-stop epsilon must be finite and >= 0, got " + epsilon);
        }
    }

    /** The objective at which the search may stop, {@code F(V) − ε·|F(V)|}. */
    public double threshold(double fullSetObjective) {
        return fullSetObjective - epsilon * Math.abs(fullSetObjective);
    }

    /** True when {@code objective} (F_k after a step) reaches {@link #threshold(double)}. */
    public boolean reached(double objective, double fullSetObjective) {
        return objective >= threshold(fullSetObjective);
    }
}

package io.github.eagle4j.search;

/**
 * The EAGLE objective (docs/method.md §4):
 * {@code F(S) = mean_t [ λ1·p_t(x[S]) + λ2·(1 − p_t(x[V∖S])) ]}, sufficiency plus necessity,
 * targets combined by the arithmetic mean.
 *
 * @param lambda1 weight of sufficiency (insertion), default 1
 * @param lambda2 weight of necessity (deletion), default 1
 */
public record Objective(double lambda1, double lambda2) {
    /** λ1 = λ2 = 1, the authors' default in every script. */
    public static final Objective DEFAULT = new Objective(1.0, 1.0);

    public Objective {
        if (!Double.isFinite(lambda1) || !Double.isFinite(lambda2) || lambda1 < 0 || lambda2 < 0
                || lambda1 + lambda2 == 0) {
            throw new IllegalArgumentException("lambda1 and lambda2 must be finite, non-negative and not both 0, got "
                    + lambda1 + ", " + lambda2);
        }
    }

    /** F from the per-target probabilities of the insertion image and of the deletion image. */
    public double value(double[] insertionProbs, double[] deletionProbs) {
        double sum = 0;
        for (int t = 0; t < insertionProbs.length; t++) {
            sum += lambda1 * insertionProbs[t] + lambda2 * (1.0 - deletionProbs[t]);
        }
        return sum / insertionProbs.length;
    }

    /**
     * F(∅): nothing inserted (the blank image) and nothing deleted (the full image); the map's F_0
     * (docs/method.md §8, with the λ actually searched with as §15.4 decides).
     */
    public double ofEmptySet(double[] fullImageProbs, double[] blankImageProbs) {
        return value(blankImageProbs, fullImageProbs);
    }
}

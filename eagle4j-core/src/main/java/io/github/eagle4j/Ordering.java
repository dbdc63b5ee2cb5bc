package io.github.eagle4j;

import io.github.eagle4j.search.SearchCertificate;

import java.util.Objects;

/**
 * How the regions were ordered: EAGLE's search or a baseline, the objective's weights, the fill, and how far the
 * order can be trusted.
 *
 * @param method      {@link ExplainMethod#EAGLE} or the baseline that ordered the regions
 * @param search      the search used; {@code null} when a baseline ordered the regions
 * @param lambda1     λ1 used
 * @param lambda2     λ2 used
 * @param fill        what removed regions became
 * @param exactness   whether the order is full greedy's
 * @param approximate true when curves contain interpolated points or the scorer is approximate
 * @param certificate steps verified and searched, how the rest was ordered, budget, sampled re-check
 */
public record Ordering(ExplainMethod method, SearchKind search, double lambda1, double lambda2, Fill fill,
                       Exactness exactness, boolean approximate, SearchCertificate certificate) {
    public Ordering {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(fill, "fill");
        Objects.requireNonNull(exactness, "exactness");
        Objects.requireNonNull(certificate, "certificate");
        if ((search == null) != (method != ExplainMethod.EAGLE)) {
            throw new IllegalArgumentException("a search is named exactly when EAGLE ordered the regions, got method "
                    + method.cliName() + " and search " + search);
        }
    }

    /** For one-line summaries: the search's name for EAGLE ({@code full}, ...), else the baseline's name. */
    public String orderedBy() {
        return search != null ? search.cliName() : method.cliName();
    }
}

package io.github.eagle4j.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.eagle4j.ProgressListener;

import org.junit.jupiter.api.Test;

/** The certificate of every search, and the budget of the searches that cannot shrink their work. */
class CertificateTest {

    @Test
    void fullGreedyVerifiesEveryStep() {
        SearchTrace t = new FullGreedySearch(Objective.DEFAULT).search(Examples.exampleA(), Examples.areasAB(),
                ProgressListener.NONE);
        assertThat(t.certificate()).isEqualTo(new SearchCertificate(6, 6, SearchCertificate.TAIL_NONE, -1, null));
    }

    @Test
    void fullGreedyWithEarlyStopVerifiesTheStepsBeforeTheStop() {
        // §7's case: F(V) = 1.96 is reached at step 4, the last two keep step 4's ranking
        SearchTrace t = new FullGreedySearch(Objective.DEFAULT, new EarlyStop(0.0))
                .search(Examples.lazyDiffersFromFull(), Examples.equalAreas(6), ProgressListener.NONE);
        assertThat(t.certificate().stepsVerified()).isEqualTo(4);
        assertThat(t.certificate().stepsSearched()).isEqualTo(4);
        assertThat(t.certificate().tailOrder()).isEqualTo(SearchCertificate.TAIL_LAST_RANKING);
    }

    /** §7's lazy ≠ full case: only step 1 (all singletons fresh) and the last step (one left) were full scorings. */
    @Test
    void lazyVerifiesOnlyStepsWhereEveryCandidateWasFresh() {
        SearchTrace t = new LazyGreedySearch(Objective.DEFAULT, 1).search(Examples.lazyDiffersFromFull(),
                Examples.equalAreas(6), ProgressListener.NONE);
        assertThat(t.order()).containsExactly(0, 1, 3, 2, 4, 5);
        assertThat(t.certificate()).isEqualTo(new SearchCertificate(2, 6, SearchCertificate.TAIL_NONE, -1, null));
    }

    /**
     * Re-checking every step of lazy's order on §7's case finds the one step where it left full greedy: at step 3
     * it placed region 3 (F = 1.22) where region 2 scores 1.88. Steps 4 and 5 agree (step 5 by a tie, 1.96 both).
     */
    @Test
    void verifierFindsTheStepWhereLazyLeftFullGreedy() {
        FunctionScorer scorer = Examples.lazyDiffersFromFull();
        StepVerifier.Result r = new StepVerifier(Objective.DEFAULT).verify(scorer, new int[] {0, 1, 3, 2, 4, 5}, 10, 7);

        assertThat(r.verification().steps()).containsExactly(2, 3, 4, 5);
        assertThat(r.verification().agreed()).containsExactly(true, false, true, true);
        assertThat(r.verification().agreements()).isEqualTo(3);
        assertThat(r.verification().images()).isEqualTo(2 * (5 + 4 + 3 + 2)).isEqualTo(scorer.images());
        assertThat(r.calls()).isEqualTo(4).isEqualTo(scorer.calls());
    }

    @Test
    void verifierAgreesEverywhereOnFullGreedysOwnOrder() {
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT).search(FastSearchTest.threeWay(15, 1),
                Examples.equalAreas(15), ProgressListener.NONE);
        StepVerifier.Result r = new StepVerifier(Objective.DEFAULT).verify(FastSearchTest.threeWay(15, 1),
                full.order(), 5, 3);
        assertThat(r.verification().steps()).hasSize(5).allMatch(k -> k >= 2 && k <= 14);
        assertThat(r.verification().agreements()).isEqualTo(5);
        // seeded: the same seed samples the same steps
        StepVerifier.Result again = new StepVerifier(Objective.DEFAULT).verify(FastSearchTest.threeWay(15, 1),
                full.order(), 5, 3);
        assertThat(again.verification().steps()).isEqualTo(r.verification().steps());
    }

    @Test
    void fullGreedyRefusesABudgetBelowItsImageCountNamingTheSmallestAndTheFastSearch() {
        assertThatThrownBy(() -> new FullGreedySearch(Objective.DEFAULT, null, 41)
                .search(Examples.exampleA(), Examples.areasAB(), ProgressListener.NONE))
                .isInstanceOf(BudgetTooSmallException.class)
                .hasMessage("budget 41 is too small for search 'full' on 6 regions: it needs at least 42 images; "
                        + "search 'fast' orders regions within a smaller budget")
                .extracting(e -> ((BudgetTooSmallException) e).input()).isEqualTo("budget");
    }

    @Test
    void fullGreedyWithAnExactBudgetIsUnchanged() {
        FunctionScorer scorer = Examples.exampleB();
        SearchTrace t = new FullGreedySearch(Objective.DEFAULT, null, 42).search(scorer, Examples.areasAB(),
                ProgressListener.NONE);
        SearchTrace free = new FullGreedySearch(Objective.DEFAULT).search(Examples.exampleB(), Examples.areasAB(),
                ProgressListener.NONE);
        assertThat(t.order()).containsExactly(free.order());
        assertThat(t.steps()).usingRecursiveComparison().isEqualTo(free.steps());
        assertThat(scorer.images()).isEqualTo(42);
        assertThat(t.certificate().budget()).isEqualTo(42);
    }

    @Test
    void efficientRefusesABudgetBelowItsExactCount() {
        assertThat(EfficientSearch.imageCount(6, 2, 2, 2)).isEqualTo(26);
        assertThatThrownBy(() -> new EfficientSearch(Objective.DEFAULT, 2, 2, 2, 25)
                .search(Examples.exampleB(), Examples.areasAB(), ProgressListener.NONE))
                .isInstanceOf(BudgetTooSmallException.class).hasMessageContaining("at least 26 images");
        SearchTrace t = new EfficientSearch(Objective.DEFAULT, 2, 2, 2, 26)
                .search(Examples.exampleB(), Examples.areasAB(), ProgressListener.NONE);
        assertThat(t.imagesScored()).isEqualTo(26);
        assertThat(t.certificate().tailOrder()).isEqualTo(SearchCertificate.TAIL_BACK_END);
    }
}

package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A literal transcription of §6's pseudocode for tests: no batching across the front and back steps (the
 * front step and the back step are separate calls), eagle4j's tie rule. Used to check that
 * {@link EfficientSearch}'s merged calls change nothing but the call count.
 */
final class EfficientReference {
    private EfficientReference() {
    }

    record Outcome(int[] order, List<double[][]> points, long images) {
    }

    static Outcome run(FunctionScorer scorer, Objective obj, int s, int p, int u) {
        int n = scorer.regionCount();
        long images = 0;
        double[][] ends = scorer.scoreKept(List.of(KeptSets.all(n), new BitSet(n)));
        images += 2;
        List<Integer> ranked = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ranked.add(r);
        }
        List<Integer> front = new ArrayList<>();
        List<Integer> back = new ArrayList<>();
        List<double[][]> frontPts = new ArrayList<>();
        List<double[][]> backPts = new ArrayList<>();
        BitSet frontSet = new BitSet();
        BitSet backSet = new BitSet();
        int i = 0;
        while (true) {
            if (ranked.size() == 1) {
                front.add(ranked.get(0));
                break;
            }
            boolean full = i == 0 || i % u == 0;
            List<Integer> cands = new ArrayList<>(full ? ranked : ranked.subList(0, Math.min(s, ranked.size())));
            List<BitSet> batch = new ArrayList<>();
            for (int c : cands) {
                BitSet k = KeptSets.plus(frontSet, c);
                batch.add(k);
                batch.add(KeptSets.complement(k, n));
            }
            double[][] pr = scorer.scoreKept(batch);
            images += batch.size();
            int[] ids = cands.stream().mapToInt(Integer::intValue).toArray();
            double[] f = new double[ids.length];
            for (int j = 0; j < ids.length; j++) {
                f[j] = obj.value(pr[2 * j], pr[2 * j + 1]);
            }
            int w = Ranking.best(ids, f);
            if (full) {
                ranked = new ArrayList<>();
                for (int r : Ranking.sorted(ids, f)) {
                    ranked.add(r);
                }
            }
            ranked.remove(Integer.valueOf(ids[w]));
            front.add(ids[w]);
            frontSet.set(ids[w]);
            frontPts.add(new double[][] {pr[2 * w], pr[2 * w + 1]});
            if (i == 0 && ranked.size() > 1) {
                int loser = ranked.remove(ranked.size() - 1);
                int j = cands.indexOf(loser);
                back.add(loser);
                backSet.set(loser);
                backPts.add(new double[][] {pr[2 * j + 1], pr[2 * j]});
            } else if (i > 0 && ranked.size() > p) {
                int[] pend = ranked.subList(ranked.size() - p, ranked.size()).stream().mapToInt(Integer::intValue).toArray();
                List<BitSet> bb = new ArrayList<>();
                for (int c : pend) {
                    BitSet removed = KeptSets.plus(backSet, c);
                    bb.add(KeptSets.complement(removed, n));
                    bb.add(removed);
                }
                double[][] q = scorer.scoreKept(bb);
                images += bb.size();
                double[] g = new double[pend.length];
                for (int j = 0; j < pend.length; j++) {
                    g[j] = obj.value(q[2 * j], q[2 * j + 1]);
                }
                int l = Ranking.best(pend, g);
                ranked.remove(Integer.valueOf(pend[l]));
                back.add(pend[l]);
                backSet.set(pend[l]);
                backPts.add(new double[][] {q[2 * l], q[2 * l + 1]});
            }
            i++;
        }
        List<Integer> order = new ArrayList<>(front);
        List<double[][]> pts = new ArrayList<>(frontPts);
        for (int j = back.size() - 1; j >= 0; j--) {
            order.add(back.get(j));
            pts.add(backPts.get(j));
        }
        pts.add(new double[][] {ends[0], ends[1]});
        return new Outcome(order.stream().mapToInt(Integer::intValue).toArray(), pts, images);
    }
}

package io.github.eagle4j.search;

import java.util.BitSet;

/** Set arithmetic on kept-region sets; every result is a fresh set so batches never share state. */
final class KeptSets {
    private KeptSets() {
    }

    /** S ∪ {region}. */
    static BitSet plus(BitSet s, int region) {
        BitSet out = (BitSet) s.clone();
        out.set(region);
        return out;
    }

    /** V ∖ S for V = {0..n-1}: the deletion image of S keeps this. */
    static BitSet complement(BitSet s, int n) {
        BitSet out = (BitSet) s.clone();
        out.flip(0, n);
        return out;
    }

    /** V = {0..n-1}: the original image. */
    static BitSet all(int n) {
        BitSet out = new BitSet(n);
        out.set(0, n);
        return out;
    }
}

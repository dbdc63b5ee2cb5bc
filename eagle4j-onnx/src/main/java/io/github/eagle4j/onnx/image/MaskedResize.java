package io.github.eagle4j.onnx.image;

import io.github.eagle4j.Fill;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resizes the masked images of one {@link Masker} (a {@link MaskedBatch}'s recipe) into a box of the output, bit for bit as
 * {@link PillowResize#resizeBox} resizes their pixels, without building the full-resolution masked image and
 * without a multiply per filter tap.
 *
 * <p>Why it is exact. Pillow's sums are ints ({@code HALF + Σ k·p}, wrapping, hence associative), so a sum may
 * be split into parts computed at different times.
 * <ol>
 *   <li>Horizontal pass: a window of one input row meets a few regions; each pixel is the original's when its
 *       region is kept and the fill's otherwise, so the window's sum is {@code Σ over its regions r of (kept(r) ?
 *       orig(r) : fill(r))}, with both partial sums per region computed once. A window's uint8 result thus
 *       depends only on the kept state of the regions it meets (its signature).</li>
 *   <li>Vertical pass: an output's taps run down one column of windows. Consecutive windows with the same
 *       signature form a run whose part of the sum, {@code Σ k·h}, depends only on the kept state of at most
 *       {@value #MAX_TABULATED} regions, so it is tabulated for every combination. Per image an output costs a
 *       table look-up per run (two to four) instead of some 30 multiplies per channel; a run whose windows meet
 *       more regions is summed tap by tap from step 1.</li>
 * </ol>
 * Unlabelled pixels are kept in every masked image and so never enter a signature.
 *
 * <p>Built once per masker (a few plain resizes' worth of work), then immutable and thread-safe.
 */
final class MaskedResize {
    /** Runs whose windows meet more regions than this are summed per image rather than tabulated (2^4 entries). */
    static final int MAX_TABULATED = 4;

    private final Masker masker;
    /** Region ids 0..n-1, and group n for unlabelled pixels. */
    private final int groups;
    private final int boxWidth;
    private final int boxHeight;
    /** Input rows the vertical pass reads; horizontal window {@code w} is row {@code w / boxWidth}, box column {@code w % boxWidth}. */
    private final int rows;
    private final PillowResize.Coefficients vertical;

    /** Step 1: window w's regions are {@code entryGroup[windowStart[w] .. windowStart[w+1]-1]}. */
    private final int[] windowStart;
    private final int[] entryGroup;
    /** Six partial sums per entry: R, G, B of the original, then R, G, B of the fill. */
    private final int[] entrySum;

    /** Step 2: output o's runs are {@code runStart[o] .. runStart[o+1]-1}. */
    private final int[] runStart;
    /** Run r's signature is {@code signature[signatureStart[r] .. signatureStart[r+1]-1]}. */
    private final int[] signatureStart;
    private final int[] signature;
    /** Run r's sums (R, G, B per combination of its signature's kept bits) start at {@code table[tableStart[r]]}; -1: not tabulated. */
    private final int[] tableStart;
    private final int[] table;
    /** A run not tabulated: its first window (the next are {@code boxWidth} apart), first tap ({@code vertical.k()} index) and length. */
    private final int[] runWindow;
    private final int[] runTap;
    private final int[] runLength;
    /**
     * Step 3: an output whose runs together meet at most {@value #MAX_TABULATED} regions (most outputs: those inside
     * one region meet one) has its final packed {@code 0xRRGGBB} per kept combination of those regions at
     * {@code outputTable[outputStart[o]]} (-1: computed run by run); its regions are
     * {@code outputRegions[outputRegionStart[o] .. outputRegionStart[o+1]-1]}.
     */
    private final int[] outputStart;
    private final int[] outputRegionStart;
    private final int[] outputRegions;
    private final int[] outputTable;
    /**
     * The outputs each region's kept state reaches: region g's are {@code regionOutputs[regionOutputStart[g] ..
     * regionOutputStart[g+1]-1]}, so two masked images differ only at the outputs of the regions kept in one alone.
     */
    private final int[] regionOutputStart;
    private final int[] regionOutputs;
    /** During construction only: windows' uint8 results per kept combination (see {@link #windowTables}). */
    private int[] windowValues;

    MaskedResize(Masker masker, int outWidth, int outHeight, PillowResize.Box box, PillowResize.Filter filter) {
        this.masker = masker;
        RegionSet regions = masker.regions();
        this.groups = regions.regionCount() + 1;
        this.boxWidth = box.width();
        this.boxHeight = box.height();
        RgbImage original = masker.original();
        PillowResize.Coefficients h = PillowResize.axis(original.width(), outWidth, box.left(), box.width(), filter);
        PillowResize.Coefficients v = PillowResize.axis(original.height(), outHeight, box.top(), box.height(), filter);
        int rowFrom = v.from();
        this.rows = v.to() - rowFrom;
        this.vertical = v.shifted(-rowFrom);

        IntList starts = new IntList();
        IntList entryGroups = new IntList();
        IntList sums = new IntList();
        splitWindows(masker, h, rowFrom, starts, entryGroups, sums);
        this.windowStart = starts.toArray();
        this.entryGroup = entryGroups.toArray();
        this.entrySum = sums.toArray();

        IntList outRuns = new IntList();
        IntList sigStarts = new IntList();
        IntList sig = new IntList();
        IntList tables = new IntList();
        IntList tableStarts = new IntList();
        IntList windows = new IntList();
        IntList taps = new IntList();
        IntList lengths = new IntList();
        int[][] signatures = new int[rows * boxWidth][];
        for (int w = 0; w < signatures.length; w++) {
            signatures[w] = signature(w);
        }
        // each window's uint8 result per kept combination of its own regions, computed once: a window feeds the
        // runs of several outputs, and every window of a run has the run's signature, so a run's table is a
        // weighted sum of its windows' tables
        int[] windowTable = windowTables(signatures);
        for (int yy = 0; yy < boxHeight; yy++) {
            for (int c = 0; c < boxWidth; c++) {
                outRuns.add(windows.size());
                int firstWindow = vertical.first()[yy] * boxWidth + c;
                int firstTap = yy * vertical.ksize();
                int n = vertical.count()[yy];
                for (int t = 0; t < n; ) {
                    int[] s = signatures[firstWindow + t * boxWidth];
                    int end = t + 1;
                    while (end < n && Arrays.equals(s, signatures[firstWindow + end * boxWidth])) {
                        end++;
                    }
                    sigStarts.add(sig.size());
                    for (int g : s) {
                        sig.add(g);
                    }
                    windows.add(firstWindow + t * boxWidth);
                    taps.add(firstTap + t);
                    lengths.add(end - t);
                    if (s.length > MAX_TABULATED) {
                        tableStarts.add(-1);
                    } else {
                        tableStarts.add(tables.size());
                        for (int combo = 0; combo < 1 << s.length; combo++) {
                            int r = 0;
                            int g = 0;
                            int b = 0;
                            for (int u = t; u < end; u++) {
                                int k = vertical.k()[firstTap + u];
                                int at = windowTable[firstWindow + u * boxWidth] + 3 * combo;
                                r += windowValues[at] * k;
                                g += windowValues[at + 1] * k;
                                b += windowValues[at + 2] * k;
                            }
                            tables.add(r);
                            tables.add(g);
                            tables.add(b);
                        }
                    }
                    t = end;
                }
            }
        }
        windowValues = null;
        outRuns.add(windows.size());
        sigStarts.add(sig.size());
        this.runStart = outRuns.toArray();
        this.signatureStart = sigStarts.toArray();
        this.signature = sig.toArray();
        this.tableStart = tableStarts.toArray();
        this.table = tables.toArray();
        this.runWindow = windows.toArray();
        this.runTap = taps.toArray();
        this.runLength = lengths.toArray();

        // step 3: per image an output then costs one look-up instead of one per run and three clips
        int outputs = boxWidth * boxHeight;
        this.outputStart = new int[outputs];
        this.outputRegionStart = new int[outputs + 1];
        IntList regionsOf = new IntList();
        IntList outTable = new IntList();
        boolean[] kept = new boolean[groups];
        kept[groups - 1] = true;
        int[][] unions = new int[outputs][];
        int[] reach = new int[groups + 1];
        for (int o = 0; o < outputs; o++) {
            unions[o] = outputUnion(o);
            for (int g : unions[o]) {
                reach[g + 1]++;
            }
        }
        for (int g = 0; g < groups; g++) {
            reach[g + 1] += reach[g];
        }
        this.regionOutputStart = reach.clone();
        this.regionOutputs = new int[reach[groups]];
        for (int o = 0; o < outputs; o++) {
            for (int g : unions[o]) {
                regionOutputs[reach[g]++] = o;
            }
        }
        for (int o = 0; o < outputs; o++) {
            outputRegionStart[o] = regionsOf.size();
            int[] union = unions[o];
            if (union.length > MAX_TABULATED) {
                outputStart[o] = -1;
                continue;
            }
            for (int g : union) {
                regionsOf.add(g);
            }
            outputStart[o] = outTable.size();
            for (int combo = 0; combo < 1 << union.length; combo++) {
                for (int i = 0; i < union.length; i++) {
                    kept[union[i]] = (combo >> i & 1) != 0;
                }
                outTable.add(output(o, kept));
            }
            for (int g : union) {
                kept[g] = false;
            }
        }
        outputRegionStart[outputs] = regionsOf.size();
        this.outputRegions = regionsOf.toArray();
        this.outputTable = outTable.toArray();
    }

    /** Step 1: splits each horizontal window of the rows the vertical pass reads by region. */
    private void splitWindows(Masker masker, PillowResize.Coefficients h, int rowFrom, IntList starts, IntList entryGroups,
                              IntList sums) {
        RgbImage original = masker.original();
        RgbImage fill = masker.fill() == Fill.BLACK ? null : masker.fillImage(); // black adds nothing to a sum
        RegionSet regions = masker.regions();
        int width = original.width();
        int[] line = new int[width];
        int[] fillLine = new int[width];
        for (int y = 0; y < rows; y++) {
            int row = (rowFrom + y) * width;
            original.copyPixels(row, line, 0, width);
            if (fill != null) {
                fill.copyPixels(row, fillLine, 0, width);
            }
            for (int c = 0; c < boxWidth; c++) {
                int base = c * h.ksize();
                int first = entryGroups.size();
                starts.add(first);
                for (int t = 0, n = h.count()[c]; t < n; t++) {
                    int x = h.first()[c] + t;
                    int label = regions.labelAt(row + x);
                    int g = label < 0 ? groups - 1 : label;
                    int e = entryGroups.size() - 1;
                    while (e >= first && entryGroups.get(e) != g) {
                        e--;
                    }
                    if (e < first) {
                        e = entryGroups.size();
                        entryGroups.add(g);
                        for (int i = 0; i < 6; i++) {
                            sums.add(0);
                        }
                    }
                    int k = h.k()[base + t];
                    int o = line[x];
                    int f = fillLine[x];
                    sums.addAt(6 * e, ((o >>> 16) & 0xFF) * k);
                    sums.addAt(6 * e + 1, ((o >>> 8) & 0xFF) * k);
                    sums.addAt(6 * e + 2, (o & 0xFF) * k);
                    sums.addAt(6 * e + 3, ((f >>> 16) & 0xFF) * k);
                    sums.addAt(6 * e + 4, ((f >>> 8) & 0xFF) * k);
                    sums.addAt(6 * e + 5, (f & 0xFF) * k);
                }
            }
        }
        starts.add(entryGroups.size());
    }

    /** The regions window w meets, unlabelled pixels left out, sorted. */
    private int[] signature(int w) {
        int[] s = new int[windowStart[w + 1] - windowStart[w]];
        int n = 0;
        for (int e = windowStart[w]; e < windowStart[w + 1]; e++) {
            if (entryGroup[e] != groups - 1) {
                s[n++] = entryGroup[e];
            }
        }
        s = n == s.length ? s : Arrays.copyOf(s, n);
        Arrays.sort(s);
        return s;
    }

    /**
     * Fills {@link #windowValues} with each window's R, G, B result for every kept combination of its signature
     * (bit i: region {@code signature[i]} kept; unlabelled pixels always kept), for windows meeting at most
     * {@value #MAX_TABULATED} regions; returns where each window's values start (-1: none).
     */
    private int[] windowTables(int[][] signatures) {
        int[] start = new int[signatures.length];
        int total = 0;
        for (int w = 0; w < signatures.length; w++) {
            int len = signatures[w].length;
            start[w] = len > MAX_TABULATED ? -1 : total;
            total += len > MAX_TABULATED ? 0 : 3 << len;
        }
        windowValues = new int[total];
        boolean[] kept = new boolean[groups];
        kept[groups - 1] = true;
        int[] hv = new int[3];
        for (int w = 0; w < signatures.length; w++) {
            if (start[w] < 0) {
                continue;
            }
            int[] s = signatures[w];
            for (int combo = 0; combo < 1 << s.length; combo++) {
                for (int i = 0; i < s.length; i++) {
                    kept[s[i]] = (combo >> i & 1) != 0;
                }
                window(w, kept, hv);
                System.arraycopy(hv, 0, windowValues, start[w] + 3 * combo, 3);
            }
            for (int g : s) {
                kept[g] = false;
            }
        }
        return start;
    }

    /** Step 1's uint8 result of window w, R, G, B into {@code out}. */
    private void window(int w, boolean[] kept, int[] out) {
        int r = PillowResize.HALF;
        int g = PillowResize.HALF;
        int b = PillowResize.HALF;
        for (int e = windowStart[w], end = windowStart[w + 1]; e < end; e++) {
            int s = 6 * e + (kept[entryGroup[e]] ? 0 : 3);
            r += entrySum[s];
            g += entrySum[s + 1];
            b += entrySum[s + 2];
        }
        out[0] = PillowResize.clip8(r);
        out[1] = PillowResize.clip8(g);
        out[2] = PillowResize.clip8(b);
    }

    /** Runs summed tap by tap per image because their windows meet more than {@value #MAX_TABULATED} regions. */
    int untabulatedRuns() {
        return (int) Arrays.stream(tableStart).filter(t -> t < 0).count();
    }

    /** The masker whose images this resizes. */
    Masker masker() {
        return masker;
    }

    /**
     * The box of masked image {@code index} of {@code batch} resized, as three 8-bit planes (R, G, B) of the box's size.
     *
     * @throws IllegalArgumentException when the batch is another masker's
     */
    int[][] resize(MaskedBatch batch, int index) {
        requireOwn(batch);
        boolean[] kept = new boolean[groups];
        for (int g = 0; g < groups - 1; g++) {
            kept[g] = batch.isKept(index, g);
        }
        kept[groups - 1] = true;
        int[][] out = new int[3][boxWidth * boxHeight];
        for (int o = 0, n = boxWidth * boxHeight; o < n; o++) {
            int v = value(o, kept);
            out[0][o] = v >>> 16;
            out[1][o] = (v >>> 8) & 0xFF;
            out[2][o] = v & 0xFF;
        }
        return out;
    }

    /** Receives one output of a resized image: its index in the box (row by row) and its packed {@code 0xRRGGBB}. */
    interface OutputSink {
        void accept(int output, int rgb);
    }

    /** Outputs of the box ({@code width × height}). */
    int outputs() {
        return boxWidth * boxHeight;
    }

    /**
     * How many outputs {@link #resizeChanges} visits for these two images of the batch: those reached by the regions
     * kept in one and not the other (an output on a border between two such regions counted twice).
     */
    int changeCount(MaskedBatch batch, int index, int reference) {
        requireOwn(batch);
        int count = 0;
        for (int g = 0; g < groups - 1; g++) {
            if (batch.isKept(index, g) != batch.isKept(reference, g)) {
                count += regionOutputStart[g + 1] - regionOutputStart[g];
            }
        }
        return count;
    }

    /**
     * Masked image {@code index} of {@code batch} as its changes from image {@code reference} of the same batch:
     * {@code sink} gets every output reached by a region kept in one image and not in the other (some twice, with the
     * same value), with its value in image {@code index}; every output it does not get equals the reference's.
     */
    void resizeChanges(MaskedBatch batch, int index, int reference, OutputSink sink) {
        requireOwn(batch);
        boolean[] kept = new boolean[groups];
        for (int g = 0; g < groups - 1; g++) {
            kept[g] = batch.isKept(index, g);
        }
        kept[groups - 1] = true;
        for (int g = 0; g < groups - 1; g++) {
            if (kept[g] != batch.isKept(reference, g)) {
                for (int i = regionOutputStart[g], end = regionOutputStart[g + 1]; i < end; i++) {
                    int o = regionOutputs[i];
                    sink.accept(o, value(o, kept));
                }
            }
        }
    }

    private void requireOwn(MaskedBatch batch) {
        if (batch.masker() != masker) {
            throw new IllegalArgumentException("the batch is another masker's");
        }
    }

    /** Output o, as packed {@code 0xRRGGBB}, of the image whose kept groups are {@code kept}. */
    private int value(int o, boolean[] kept) {
        int at = outputStart[o];
        if (at < 0) {
            return output(o, kept);
        }
        int combo = 0;
        for (int i = outputRegionStart[o], bit = 0; i < outputRegionStart[o + 1]; i++, bit++) {
            if (kept[outputRegions[i]]) {
                combo |= 1 << bit;
            }
        }
        return outputTable[at + combo];
    }

    /** The regions output o's runs meet, sorted, each once. */
    private int[] outputUnion(int o) {
        int[] all = Arrays.copyOfRange(signature, signatureStart[runStart[o]], signatureStart[runStart[o + 1]]);
        Arrays.sort(all);
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (n == 0 || all[n - 1] != all[i]) {
                all[n++] = all[i];
            }
        }
        return n == all.length ? all : Arrays.copyOf(all, n);
    }

    /** Output o of the image whose kept regions are {@code kept} (unlabelled pixels kept), as packed {@code 0xRRGGBB}. */
    private int output(int o, boolean[] kept) {
        int[] k = vertical.k();
        int r = PillowResize.HALF;
        int g = PillowResize.HALF;
        int b = PillowResize.HALF;
        int[] hv = null;
        for (int run = runStart[o], end = runStart[o + 1]; run < end; run++) {
            int at = tableStart[run];
            if (at >= 0) {
                int combo = 0;
                for (int i = signatureStart[run], bit = 0; i < signatureStart[run + 1]; i++, bit++) {
                    if (kept[signature[i]]) {
                        combo |= 1 << bit;
                    }
                }
                at += 3 * combo;
                r += table[at];
                g += table[at + 1];
                b += table[at + 2];
            } else {
                if (hv == null) {
                    hv = new int[3];
                }
                for (int u = 0; u < runLength[run]; u++) {
                    int kt = k[runTap[run] + u];
                    window(runWindow[run] + u * boxWidth, kept, hv);
                    r += hv[0] * kt;
                    g += hv[1] * kt;
                    b += hv[2] * kt;
                }
            }
        }
        return PillowResize.clip8(r) << 16 | PillowResize.clip8(g) << 8 | PillowResize.clip8(b);
    }

    /**
     * The entry of {@code cache} that resizes the masked images of {@code image}'s batch into {@code box} of an
     * {@code outWidth × outHeight} resize, built when missing; empty for an image given by its pixels.
     */
    static Optional<MaskedResize> of(ImageInput image, int outWidth, int outHeight, PillowResize.Box box, PillowResize.Filter filter,
                                     Cache cache) {
        return image.maskedBatch().map(b -> cache.get(b.masker(), () -> new MaskedResize(b.masker(), outWidth, outHeight, box, filter)));
    }

    /**
     * The pixels inside {@code box} of the image resized to {@code outWidth × outHeight}: for a masked image, from
     * its batch's per-region sums (a {@link MaskedResize} per masker, kept in {@code cache}); else by
     * {@link PillowResize#resizeBox}. Both give the same planes.
     */
    static int[][] resize(ImageInput image, int outWidth, int outHeight, PillowResize.Box box, PillowResize.Filter filter,
                          Cache cache) {
        Optional<MaskedResize> masked = of(image, outWidth, outHeight, box, filter, cache);
        if (masked.isPresent()) {
            return masked.get().resize(image.maskedBatch().orElseThrow(), image.index());
        }
        return PillowResize.resizeBox(image.pixels(), outWidth, outHeight, box, filter);
    }

    /**
     * The few most recent {@link MaskedResize}s of one processor, by masker identity: an explanation sends
     * thousands of images of one masker, so building it once pays off after a handful of images.
     */
    static final class Cache {
        private final int capacity;
        private final List<MaskedResize> recent = new ArrayList<>();

        Cache(int capacity) {
            this.capacity = capacity;
        }

        /** The entry for {@code masker}, built by {@code make} (under the cache's lock) when missing. */
        synchronized MaskedResize get(Masker masker, Supplier<MaskedResize> make) {
            for (int i = 0; i < recent.size(); i++) {
                MaskedResize m = recent.get(i);
                if (m.masker() == masker) {
                    if (i > 0) {
                        recent.remove(i);
                        recent.add(0, m);
                    }
                    return m;
                }
            }
            MaskedResize m = make.get();
            recent.add(0, m);
            if (recent.size() > capacity) {
                recent.remove(recent.size() - 1);
            }
            return m;
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a = new int[1024];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        void addAt(int i, int v) {
            a[i] += v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}

package io.github.eagle4j.regions;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Turns raw cluster labels into connected regions of a minimum size with dense ids (docs/method.md §2).
 *
 * <ol>
 *   <li>Every 4-connected component of equal labels becomes a region (connectivity enforcement), numbered
 *       in raster order of its first pixel.</li>
 *   <li>Each region has a minimum size: {@code minPixels}, or {@code minFragmentPixels} if larger for a
 *       stray piece (a component that is not the largest component of its label; ties: first in raster
 *       order).</li>
 *   <li>While some region is smaller than its minimum and more than one region remains, the smallest one
 *       (ties: lower number) is merged into the 4-neighbour region with which it shares the longest border,
 *       counted in adjacent pixel pairs (ties: lower number). The merged region keeps the neighbour's
 *       number and the lower of the two minimums, and may itself be merged later if it is still too small.</li>
 *   <li>Ids are renumbered densely 0..N-1 in raster order of each region's first pixel.</li>
 * </ol>
 *
 * <p>Because regions only grow by absorbing 4-adjacent regions, every final region is 4-connected.
 */
final class SmallRegionMerger {
    private SmallRegionMerger() {
    }

    /**
     * @param labels            a label per pixel (any non-negative values), raster order; not modified
     * @param minPixels         the smallest allowed region size (1 disables merging)
     * @param minFragmentPixels the smallest allowed size of a stray piece of a label (see class comment)
     * @return dense region ids per pixel
     */
    static int[] merge(int width, int height, int[] labels, int minPixels, int minFragmentPixels) {
        int n = width * height;
        int[] comp = new int[n];
        int components = components(width, height, labels, comp);

        int[] size = new int[components];
        int[] head = new int[components];
        int[] tail = new int[components];
        int[] next = new int[n];
        Arrays.fill(head, -1);
        Arrays.fill(next, -1);
        for (int i = 0; i < n; i++) {
            int c = comp[i];
            size[c]++;
            if (head[c] < 0) {
                head[c] = i;
            } else {
                next[tail[c]] = i;
            }
            tail[c] = i;
        }
        int[] parent = new int[components];
        for (int c = 0; c < components; c++) {
            parent[c] = c;
        }
        int[] threshold = thresholds(labels, comp, head, size, minPixels, minFragmentPixels);

        PriorityQueue<Long> small = new PriorityQueue<>();
        for (int c = 0; c < components; c++) {
            if (size[c] < threshold[c]) {
                small.add(key(size[c], c));
            }
        }
        int alive = components;
        int[] border = new int[components];
        int[] touched = new int[components];
        while (!small.isEmpty() && alive > 1) {
            long key = small.poll();
            int c = (int) (key & 0x7FFFFFFFL);
            int recordedSize = (int) (key >>> 31);
            if (parent[c] != c || size[c] != recordedSize || size[c] >= threshold[c]) {
                continue;
            }
            int touchedCount = 0;
            for (int p = head[c]; p >= 0; p = next[p]) {
                int x = p % width;
                int y = p / width;
                if (x > 0) {
                    touchedCount = count(find(parent, comp[p - 1]), c, border, touched, touchedCount);
                }
                if (x < width - 1) {
                    touchedCount = count(find(parent, comp[p + 1]), c, border, touched, touchedCount);
                }
                if (y > 0) {
                    touchedCount = count(find(parent, comp[p - width]), c, border, touched, touchedCount);
                }
                if (y < height - 1) {
                    touchedCount = count(find(parent, comp[p + width]), c, border, touched, touchedCount);
                }
            }
            int target = -1;
            for (int t = 0; t < touchedCount; t++) {
                int r = touched[t];
                if (target < 0 || border[r] > border[target] || (border[r] == border[target] && r < target)) {
                    target = r;
                }
            }
            for (int t = 0; t < touchedCount; t++) {
                border[touched[t]] = 0;
            }
            parent[c] = target;
            size[target] += size[c];
            threshold[target] = Math.min(threshold[target], threshold[c]);
            next[tail[target]] = head[c];
            tail[target] = tail[c];
            alive--;
            if (size[target] < threshold[target]) {
                small.add(key(size[target], target));
            }
        }

        int[] newId = new int[components];
        Arrays.fill(newId, -1);
        int[] out = new int[n];
        int ids = 0;
        for (int i = 0; i < n; i++) {
            int r = find(parent, comp[i]);
            if (newId[r] < 0) {
                newId[r] = ids++;
            }
            out[i] = newId[r];
        }
        return out;
    }

    /**
     * The size below which each component is merged: {@code minPixels}, raised to {@code minFragmentPixels}
     * for every piece of a label other than its largest piece (ties: first in raster order).
     */
    private static int[] thresholds(int[] labels, int[] comp, int[] head, int[] size, int minPixels,
                                    int minFragmentPixels) {
        int components = size.length;
        int[] threshold = new int[components];
        Arrays.fill(threshold, minPixels);
        if (minFragmentPixels <= minPixels) {
            return threshold;
        }
        int maxLabel = 0;
        for (int v : labels) {
            maxLabel = Math.max(maxLabel, v);
        }
        int[] largest = new int[maxLabel + 1];
        Arrays.fill(largest, -1);
        for (int c = 0; c < components; c++) {
            int label = labels[head[c]];
            if (largest[label] < 0 || size[c] > size[largest[label]]) {
                largest[label] = c;
            }
        }
        for (int c = 0; c < components; c++) {
            if (largest[labels[head[c]]] != c) {
                threshold[c] = minFragmentPixels;
            }
        }
        return threshold;
    }

    private static long key(int size, int id) {
        return ((long) size << 31) | id;
    }

    private static int count(int r, int self, int[] border, int[] touched, int touchedCount) {
        if (r == self) {
            return touchedCount;
        }
        if (border[r] == 0) {
            touched[touchedCount++] = r;
        }
        border[r]++;
        return touchedCount;
    }

    private static int find(int[] parent, int c) {
        int r = c;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[c] != r) {
            int up = parent[c];
            parent[c] = r;
            c = up;
        }
        return r;
    }

    /** Labels 4-connected components of equal labels in raster order of first pixel; returns their count. */
    static int components(int width, int height, int[] labels, int[] comp) {
        int n = width * height;
        Arrays.fill(comp, 0, n, -1);
        int[] stack = new int[n];
        int count = 0;
        for (int start = 0; start < n; start++) {
            if (comp[start] >= 0) {
                continue;
            }
            int label = labels[start];
            int c = count++;
            int top = 0;
            stack[top++] = start;
            comp[start] = c;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                int y = p / width;
                if (x > 0 && comp[p - 1] < 0 && labels[p - 1] == label) {
                    comp[p - 1] = c;
                    stack[top++] = p - 1;
                }
                if (x < width - 1 && comp[p + 1] < 0 && labels[p + 1] == label) {
                    comp[p + 1] = c;
                    stack[top++] = p + 1;
                }
                if (y > 0 && comp[p - width] < 0 && labels[p - width] == label) {
                    comp[p - width] = c;
                    stack[top++] = p - width;
                }
                if (y < height - 1 && comp[p + width] < 0 && labels[p + width] == label) {
                    comp[p + width] = c;
                    stack[top++] = p + width;
                }
            }
        }
        return count;
    }
}

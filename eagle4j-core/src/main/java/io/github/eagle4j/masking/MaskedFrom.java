package io.github.eagle4j.masking;

import java.util.BitSet;
import java.util.Objects;

/**
 * How a masked image was made: the {@link Masker} (original image, regions, fill) and the regions kept visible.
 * A scorer may use it to preprocess the masked image from work done once on the original, e.g. resize the
 * original once and recompute only the output pixels whose filter window straddles a kept and a removed region;
 * the result must equal that of preprocessing the image's pixels.
 *
 * @param masker       what made the image
 * @param keptRegions  the regions visible in it (unlabelled pixels always are)
 */
public record MaskedFrom(Masker masker, BitSet keptRegions) {
    /**
     * @throws IllegalArgumentException when a set bit is not a region id of the masker
     */
    public MaskedFrom {
        Objects.requireNonNull(masker, "masker");
        int n = masker.regions().regionCount();
        if (keptRegions.length() > n) {
            throw new IllegalArgumentException("region id " + (keptRegions.length() - 1) + " does not exist; ids are 0.."
                    + (n - 1));
        }
        keptRegions = (BitSet) keptRegions.clone();
    }

    /** A copy of the kept regions. */
    @Override
    public BitSet keptRegions() {
        return (BitSet) keptRegions.clone();
    }

    /** Whether region {@code id} is visible. */
    public boolean kept(int id) {
        return keptRegions.get(id);
    }

    /** The masked pixels at full resolution, packed {@code 0xRRGGBB} in raster order, in a fresh array. */
    public int[] render() {
        return masker.render(keptRegions);
    }
}

package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.MaskFiles;
import io.github.eagle4j.metrics.PointingGame;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the object truly is, for the pointing game (a mixin of {@code explain} and {@code diagnose}). */
public final class GroundTruthOptions {
    @ArgGroup(validate = false, heading = HelpSections.GROUND_TRUTH, order = HelpSections.GROUND_TRUTH_ORDER)
    Fields fields = new Fields();

    /** The options themselves, in their help section. */
    static final class Fields {
        @Option(names = "--gt-box", paramLabel = "X1,Y1,X2,Y2",
                description = "Ground-truth box (end-exclusive pixels) for the pointing game.")
        String box;

        @Option(names = "--gt-mask", paramLabel = "MASK.png",
                description = "Ground-truth mask (non-zero = object) for the pointing game.")
        Path mask;
    }

    /** The {@code --gt-box} as a mask over {@code img}'s pixels, or {@code null}. */
    boolean[] boxMask(RgbImage img) {
        return fields.box == null ? null : parseBox(fields.box, img);
    }

    /** The {@code --gt-mask} read at {@code img}'s size, or {@code null}. */
    boolean[] maskMask(RgbImage img) {
        return fields.mask == null ? null : MaskFiles.read(fields.mask, img.width(), img.height());
    }

    static boolean[] parseBox(String spec, RgbImage img) {
        String[] parts = spec.split(",");
        if (parts.length != 4) {
            throw new InvalidInputException("--gt-box " + spec + ": expected X1,Y1,X2,Y2");
        }
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = (int) Math.floor(Double.parseDouble(parts[i].strip()));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--gt-box " + spec + ": '" + parts[i].strip() + "' is not a number");
            }
        }
        if (v[2] <= v[0] || v[3] <= v[1]) {
            throw new InvalidInputException("--gt-box " + spec + ": X2 must exceed X1 and Y2 must exceed Y1");
        }
        return PointingGame.boxMask(img.width(), img.height(), v[0], v[1], v[2], v[3]);
    }
}

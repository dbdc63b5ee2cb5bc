package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Target;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.imageio.LabelMaps;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the files of one explanation into a folder: {@code explanation.json} (canonical),
 * {@code regions.png} (the label map, replayable with {@code --regions-file}), {@code attribution.png}
 * (grey map) and {@code overlay.png} (heat map over the image).
 */
public final class ExplanationWriter {
    /** The canonical file of an explanation folder. */
    public static final String JSON = "explanation.json";

    private ExplanationWriter() {
    }

    /**
     * Writes all files; each one atomically.
     *
     * @throws io.github.eagle4j.EagleException naming the file when one cannot be written
     *
     * @param extra additional top-level JSON fields (e.g. pointing-game results), may be empty
     */
    public static void write(Explanation e, RgbImage image, Path dir, Map<String, Object> extra) {
        LabelMaps.write(e.regions(), dir.resolve("regions.png"));
        ImageFiles.writePng(MapRenderer.attribution(e.regions(), e.regionScores()), dir.resolve("attribution.png"));
        String caption = e.targets().stream().map(Target::token).collect(Collectors.joining(" "));
        ImageFiles.writePng(MapRenderer.overlay(image, e.regions(), e.regionScores(), caption), dir.resolve("overlay.png"));
        ObjectNode tree = ExplanationJson.toTree(e);
        ExplanationJson.putAll(tree, extra);
        // JSON last: its presence marks a complete folder
        ExplanationJson.write(tree, dir.resolve(JSON));
    }

}

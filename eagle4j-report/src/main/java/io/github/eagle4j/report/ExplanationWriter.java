package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.AtomicFiles;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.imageio.LabelMaps;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the files of one explanation into a folder: {@code explanation.json} (canonical), {@code image.png}
 * (the explained image), {@code regions.png} (the label map, replayable with {@code --regions-file}), and the
 * views rendered from them: {@code attribution.png} (grey map), {@code overlay.png} (heat map over the
 * image), {@code curves.png} (insertion and deletion curves), {@code tokens/overlay-III.png} (with
 * {@code --each-token}: each token's own map, III its answer index) and {@code report.html} (everything, in one
 * self-contained page).
 *
 * <p>The views are always rendered from the JSON tree (through {@link ExplanationView}), whether right after
 * the search or later by {@link #regenerate}, so both produce the same files.
 */
public final class ExplanationWriter {
    /** The canonical file of an explanation folder. */
    public static final String JSON = "explanation.json";
    /** The explained image, as named by the {@code image} field. */
    public static final String IMAGE = "image.png";
    /** The region label map. */
    public static final String REGIONS = "regions.png";
    /** The grey attribution map. */
    public static final String ATTRIBUTION = "attribution.png";
    /** The heat map over the image. */
    public static final String OVERLAY = "overlay.png";
    /** Insertion and deletion curves. */
    public static final String CURVES = "curves.png";
    /** The self-contained HTML report. */
    public static final String REPORT = "report.html";

    private ExplanationWriter() {
    }

    /**
     * Writes all files into {@code dir} (created when missing); each one atomically, {@code explanation.json} last (its presence marks a complete
     * folder).
     *
     * @param extra additional top-level JSON fields (e.g. pointing-game results), may be empty
     * @throws io.github.eagle4j.EagleException naming the file when one cannot be written
     */
    public static void write(Explanation e, RgbImage image, Path dir, Map<String, Object> extra) {
        createFolder(dir);
        LabelMaps.write(e.regions(), dir.resolve(REGIONS));
        ImageFiles.writePng(image, dir.resolve(IMAGE));
        ObjectNode tree = ExplanationJson.toTree(e);
        ExplanationJson.putAll(tree, extra);
        tree.put("image", IMAGE);
        writeViews(ExplanationView.of(tree, image, e.regions(), JSON), dir);
        ExplanationJson.write(tree, dir.resolve(JSON));
    }

    /** Creates {@code dir} and its parents when missing (writers create their folder). */
    static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException ex) {
            throw new io.github.eagle4j.EagleException("cannot create the folder " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Renders the views of an explanation folder again from {@code explanation.json} and the files it names:
     * {@code report.html}, {@code overlay.png}, {@code attribution.png} and {@code curves.png}.
     *
     * @return the data the views were rendered from
     * @throws io.github.eagle4j.InvalidInputException naming the file when {@code explanation.json} is
     *                                                 missing or corrupt or a file it names is missing
     * @throws io.github.eagle4j.EagleException        naming the file when one cannot be written
     */
    public static ExplanationView regenerate(Path dir) {
        ExplanationView view = ExplanationJson.read(dir.resolve(JSON));
        writeViews(view, dir);
        return view;
    }

    /** Writes the rendered views (each file atomically). */
    public static void writeViews(ExplanationView v, Path dir) {
        ImageFiles.writePng(MapRenderer.attribution(v.regions(), v.regionScores()), dir.resolve(ATTRIBUTION));
        ImageFiles.writePng(MapRenderer.overlay(v.image(), v.regions(), v.regionScores(), v.targetCaption()),
                dir.resolve(OVERLAY));
        ImageFiles.writePng(ChartImage.render(ExplanationReport.combinedChart(v), 2), dir.resolve(CURVES));
        TokenStrip.write(v, dir);
        String html = ExplanationReport.html(v);
        AtomicFiles.write(dir.resolve(REPORT), temp -> Files.writeString(temp, html, StandardCharsets.UTF_8));
    }
}

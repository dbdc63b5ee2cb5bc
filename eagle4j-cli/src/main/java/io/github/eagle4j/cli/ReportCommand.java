package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.report.ExplanationView;
import io.github.eagle4j.report.ExplanationWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code eagle report DIR}: renders the views of an explanation folder again from {@code explanation.json}
 * and the files it names, without a model: {@code report.html}, {@code overlay.png}, {@code attribution.png}
 * and {@code curves.png}.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the views of an explanation folder again from its explanation.json (with image.png and regions.png): "
                + "report.html (one self-contained page), overlay.png, attribution.png and curves.png. Needs no model.", ""},
        footer = {"", "Example:", "  ./eagle report demo-out/colour-red"})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR",
            description = "An explanation folder written by 'eagle explain' or 'eagle demo' (or its explanation.json).")
    Path dir;

    @Override
    public Integer call() {
        Path folder = dir;
        if (Files.isRegularFile(dir) && dir.getFileName().toString().equals(ExplanationWriter.JSON)) {
            folder = dir.toAbsolutePath().getParent();
        } else if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(Files.exists(dir) ? dir + " is not an explanation folder"
                    : "folder " + dir + " does not exist");
        }
        ExplanationView view = ExplanationWriter.regenerate(folder);
        spec.commandLine().getOut().println("wrote " + folder.resolve(ExplanationWriter.REPORT) + " ("
                + view.regionCount() + " regions; also " + ExplanationWriter.OVERLAY + ", " + ExplanationWriter.ATTRIBUTION
                + ", " + ExplanationWriter.CURVES + ")");
        return 0;
    }
}

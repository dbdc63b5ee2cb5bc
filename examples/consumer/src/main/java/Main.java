import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.onnx.OnnxModel;
import io.github.eagle4j.report.ExplanationWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Explains the word "yellow" in the bundled model's description of a bundled scene. */
public class Main {
    public static void main(String[] args) throws Exception {
        RgbImage image = ImageFiles.read(Path.of("examples/scenes/scene-002.png"));
        String prompt = "Describe the image.";
        try (OnnxModel model = OnnxModel.open(Path.of("models/tiny-shapes-llava"))) {
            String answer = model.generate(image, prompt, 24).text();   // "a yellow circle and a blue triangle ."
            List<Integer> targets = TargetSelection.word(model.answerTokens(prompt, answer), "yellow");
            ExplainOptions options = ExplainOptions.builder().regions(64).search(SearchKind.FULL).build();
            Explanation e = new Explainer(options).explain(image, model.scorer(prompt, answer, targets));
            Path out = Files.createDirectories(Path.of("yellow-explained"));
            ExplanationWriter.write(e, image, out, Map.of());   // explanation.json, PNG maps, report.html
            System.out.printf(Locale.ROOT, "%s%ninsertion AUC %.3f, deletion AUC %.3f; open %s%n",
                    answer, e.metrics().insertionAuc(), e.metrics().deletionAuc(), out.resolve("report.html"));
        }
    }
}

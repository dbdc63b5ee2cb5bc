package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.VisionLanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the installed backends ({@link ModelProvider} services) and opens models with them. */
final class Models {
    private Models() {
    }

    /** Opens the model named by the options, with the named backend or the first that accepts it. */
    static VisionLanguageModel open(ModelOptions options) {
        List<ModelProvider> providers = new ArrayList<>();
        ServiceLoader.load(ModelProvider.class).forEach(providers::add);
        TreeSet<String> names = new TreeSet<>();
        providers.forEach(p -> names.addAll(p.backends()));
        String model = options.resolvedModel();
        if (options.backend() != null) {
            for (ModelProvider p : providers) {
                if (p.backends().contains(options.backend())) {
                    return p.open(model, withBackend(options));
                }
            }
            throw new InvalidInputException("--backend " + options.backend() + " is not installed; installed: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        for (ModelProvider p : providers) {
            if (p.accepts(model)) {
                return p.open(model, options.settings());
            }
        }
        throw new InvalidInputException("--model " + model + ": no installed backend can open it (installed: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
    }

    private static java.util.Map<String, String> withBackend(ModelOptions options) {
        java.util.Map<String, String> s = options.settings();
        s.put("backend", options.backend());
        return s;
    }
}

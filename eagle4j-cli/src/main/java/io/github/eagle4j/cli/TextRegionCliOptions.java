package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextRegionOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Prompt spans as a source of evidence (docs/text.md; a mixin of {@code explain}). */
public final class TextRegionCliOptions {
    /** Help heading of the section, shown after the image regions. */
    static final String HEADING = "%nText regions (docs/text.md):%n";

    @ArgGroup(validate = false, heading = HEADING, order = HelpSections.SEARCH_ORDER + 5)
    Fields fields = new Fields();

    /** The options themselves, in their help section. */
    static final class Fields {
        @Option(names = "--text-regions", paramLabel = "words|sentences|messages",
                description = "Also order the prompt's spans (words, sentences or messages) with the image intact.")
        String mode;

        @Option(names = "--text-mask", paramLabel = "pad|drop",
                description = "How a removed span is hidden: pad (the pad token, else unk) or drop (out of the attention mask). Default: pad.")
        String mask;

        @Option(names = "--joint",
                description = "Also search image regions and prompt spans together and split each token's evidence (image, prompt, prior).")
        boolean joint;
    }

    /**
     * The text-region request, or {@code null} without {@code --text-regions}.
     *
     * @throws InvalidInputException naming the option when a value is not known, or when {@code --text-mask} or
     *                               {@code --joint} is given without {@code --text-regions}
     */
    TextRegionOptions options() {
        if (fields.mode == null) {
            if (fields.mask != null || fields.joint) {
                throw new InvalidInputException((fields.joint ? "--joint" : "--text-mask") + " needs --text-regions words|sentences|messages");
            }
            return null;
        }
        SpanMode mode;
        TextMask mask;
        try {
            mode = SpanMode.parse(fields.mode);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--" + e.getMessage().replace("text regions '", "text-regions '"));
        }
        try {
            mask = fields.mask == null ? TextRegionOptions.DEFAULT_MASK : TextMask.parse(fields.mask);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--" + e.getMessage().replace("text mask '", "text-mask '"));
        }
        return new TextRegionOptions(mode, mask, fields.joint);
    }
}

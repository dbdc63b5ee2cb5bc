package io.github.eagle4j.metrics;

/**
 * eagle4j's reading of one token's reliance on the image (docs/method.md §9), written as {@code label} in
 * {@code tokenReliance} with the spellings of {@link #jsonName()}. A new label is one constant here plus the
 * rule in {@link TokenReliance} that gives it.
 */
public enum RelianceLabel {
    /** Revealing the image moves the token a lot. */
    PERCEPTION("perception"),
    /** Already likely on the blank image, and the curve is flat. */
    LANGUAGE_PRIOR("language-prior"),
    /** Neither clearly perception nor the language prior. */
    MIXED("mixed"),
    /** The insertion curve never rises above {@link TokenReliance#FLAT_LOW_MAX}. */
    FLAT_LOW("flat-low");

    private final String jsonName;

    RelianceLabel(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling in JSON and reports, e.g. {@code language-prior}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The label of a JSON spelling.
     *
     * @throws IllegalArgumentException naming the accepted spellings when {@code name} is none of them
     */
    public static RelianceLabel parse(String name) {
        StringBuilder accepted = new StringBuilder();
        for (RelianceLabel l : values()) {
            if (l.jsonName.equals(name)) {
                return l;
            }
            accepted.append(accepted.length() == 0 ? "" : ", ").append(l.jsonName);
        }
        throw new IllegalArgumentException("unknown reliance label '" + name + "'; expected one of " + accepted);
    }

    @Override
    public String toString() {
        return jsonName;
    }
}

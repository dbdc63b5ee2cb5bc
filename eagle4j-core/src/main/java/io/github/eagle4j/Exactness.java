package io.github.eagle4j;

/**
 * How far an order can be trusted to be the full greedy search's (docs/method.md §7, docs/search.md). Written as
 * {@code exactness} in {@code explanation.json} with the spellings of {@link #jsonName()}.
 */
public enum Exactness {
    /** Every step was searched in full: the order is full greedy's. */
    EXACT("exact"),
    /** Lazy greedy: full greedy's order when the objective is submodular along the search. */
    EXACT_IF_SUBMODULAR("exact-if-submodular"),
    /** No guarantee: efficient or budgeted searches, baselines. */
    HEURISTIC("heuristic");

    private final String jsonName;

    Exactness(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling in JSON, e.g. {@code exact-if-submodular}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The value of a JSON spelling.
     *
     * @throws IllegalArgumentException naming the accepted spellings when {@code name} is none of them
     */
    public static Exactness parse(String name) {
        StringBuilder accepted = new StringBuilder();
        for (Exactness e : values()) {
            if (e.jsonName.equals(name)) {
                return e;
            }
            accepted.append(accepted.length() == 0 ? "" : ", ").append(e.jsonName);
        }
        throw new IllegalArgumentException("unknown exactness '" + name + "'; expected one of " + accepted);
    }

    @Override
    public String toString() {
        return jsonName;
    }
}

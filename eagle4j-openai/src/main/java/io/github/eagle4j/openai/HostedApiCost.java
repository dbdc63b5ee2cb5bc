package io.github.eagle4j.openai;

import java.util.Locale;

/**
 * What hosted-API scoring costs: requests sent, tokens billed and answers whose probability is unknown.
 *
 * @param requests               chat-completion requests answered (one per image and target, plus generation)
 * @param promptTokens           input tokens billed ({@code usage.prompt_tokens}, images included)
 * @param completionTokens       output tokens billed
 * @param zeroProbabilityEntries (image, target) pairs whose token was not among the {@code top_logprobs} and were scored
 *                               0 (the true probability is below the last one listed)
 */
public record HostedApiCost(long requests, long promptTokens, long completionTokens, long zeroProbabilityEntries) {
    /** Nothing spent. */
    public static final HostedApiCost NONE = new HostedApiCost(0, 0, 0, 0);

    /** Input and output tokens together. */
    public long tokensBilled() {
        return promptTokens + completionTokens;
    }

    /** The sum of two costs. */
    public HostedApiCost plus(HostedApiCost o) {
        return new HostedApiCost(requests + o.requests, promptTokens + o.promptTokens, completionTokens + o.completionTokens,
                zeroProbabilityEntries + o.zeroProbabilityEntries);
    }

    /** One line, e.g. {@code 4160 requests, 3,120,000 tokens billed (3,115,840 in, 4,160 out), 12 zero-probability entries}. */
    public String summary() {
        return String.format(Locale.ROOT, "%d requests, %,d tokens billed (%,d in, %,d out), %d zero-probability entries",
                requests, tokensBilled(), promptTokens, completionTokens, zeroProbabilityEntries);
    }
}

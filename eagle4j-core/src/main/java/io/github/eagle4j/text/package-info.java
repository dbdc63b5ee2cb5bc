/**
 * Prompt text as a source of evidence: the prompt's tokens with their character offsets ({@link
 * io.github.eagle4j.text.PromptToken}), spans of them on token boundaries ({@link io.github.eagle4j.text.TextSpan},
 * cut by {@link io.github.eagle4j.text.SpanSplitter}) and batches of kept-span sets a backend scores with the spans it
 * masks ({@link io.github.eagle4j.text.TextMaskBatch}); see docs/text.md.
 */
package io.github.eagle4j.text;

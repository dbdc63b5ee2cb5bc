/**
 * Hallucination diagnosis (docs/method.md §10): explain the correct answer's token, re-generate the answer
 * keeping only the first k regions of the order, find the smallest removed tail that corrects the answer
 * ({@link io.github.eagle4j.diagnosis.CorrectionScan}), and summarise many samples as AMCR and CSR@10%
 * with both denominators ({@link io.github.eagle4j.diagnosis.CorrectionStats}).
 * {@link io.github.eagle4j.diagnosis.Diagnoser} runs the whole procedure against a
 * {@link io.github.eagle4j.VisionLanguageModel}.
 */
package io.github.eagle4j.diagnosis;

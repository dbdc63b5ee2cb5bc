/**
 * Inference-server backends: a {@link io.github.eagle4j.TokenScorer} for vLLM's OpenAI-compatible server
 * ({@code prompt_logprobs}, exact), for SGLang's native {@code /generate} ({@code input_token_logprobs}, exact) and for
 * hosted OpenAI-style APIs ({@code top_logprobs}, approximate), over one or more endpoints with bounded concurrency,
 * timeouts and retries. Entry points: {@link io.github.eagle4j.openai.ServerModels} and, for the CLI,
 * {@link io.github.eagle4j.openai.ServerModelProvider}.
 * Server setup, wire formats and what a run costs: docs/backends.md.
 */
package io.github.eagle4j.openai;

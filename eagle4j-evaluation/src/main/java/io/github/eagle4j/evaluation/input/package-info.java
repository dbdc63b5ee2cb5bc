/**
 * Input files the commands share: {@link io.github.eagle4j.evaluation.input.ConversationFile} reads a conversation in
 * the chat APIs' role/content form.
 */
package io.github.eagle4j.evaluation.input;

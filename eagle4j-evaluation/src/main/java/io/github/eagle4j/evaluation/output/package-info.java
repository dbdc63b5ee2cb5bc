/**
 * The files of one explanation or diagnosis: {@link io.github.eagle4j.evaluation.output.ExplanationJob} runs an
 * explanation and writes its folder (explanation.json, PNG maps and report.html) in one call;
 * {@link io.github.eagle4j.evaluation.output.DiagnosisFiles} adds diagnosis.json and culprits.png. Writers create
 * their folder.
 */
package io.github.eagle4j.evaluation.output;

package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One self-contained HTML page: inline CSS and scripts, data blocks, no external URL. Every report page
 * (an explanation, an evaluation run) is built with it, so they share the look ({@code report.css}) and
 * the safety rules.
 *
 * <p>The page carries a Content-Security-Policy that allows no network at all ({@code default-src 'none'}),
 * images only from {@code data:} URIs, and only the page's own scripts, by hash: even markup that slipped
 * through unescaped could neither load anything nor run an inline event handler.
 *
 * <p>Markup passed to {@link #add} is trusted: build it with {@link Html#text}/{@link Html#attr} for every
 * value from a user or a model.
 */
public final class HtmlPage {
    private final String title;
    private final StringBuilder css = new StringBuilder(resource("report.css"));
    private final StringBuilder body = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private final List<String> scripts = new ArrayList<>();

    /** A page with the given title (escaped). */
    public HtmlPage(String title) {
        this.title = title;
    }

    /** Adds page-specific CSS after the shared style sheet. */
    public HtmlPage style(String moreCss) {
        css.append('\n').append(moreCss);
        return this;
    }

    /** Appends trusted markup to the body. */
    public HtmlPage add(String markup) {
        body.append(markup);
        return this;
    }

    /** Adds a JSON data block (see {@link Html#jsonScript}). */
    public HtmlPage data(String id, JsonNode value) {
        data.append(Html.jsonScript(id, value));
        return this;
    }

    /** Adds an inline script, run after the body; allowed by the page's policy through its hash. */
    public HtmlPage script(String js) {
        if (js.contains("</")) {
            throw new IllegalArgumentException("an inline script must not contain '</'");
        }
        scripts.add(js);
        return this;
    }

    /** The whole document. */
    public String render() {
        StringBuilder policy = new StringBuilder("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src");
        if (scripts.isEmpty()) {
            policy.append(" 'none'");
        }
        for (String s : scripts) {
            policy.append(" 'sha256-").append(sha256(s)).append('\'');
        }
        policy.append("; base-uri 'none'; form-action 'none'");
        StringBuilder sb = new StringBuilder(body.length() + data.length() + css.length() + 4096);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(Html.attr(policy.toString())).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"eagle4j\">\n")
                .append("<title>").append(Html.text(title)).append("</title>\n")
                .append("<style>\n").append(css).append("\n</style>\n</head>\n<body>\n")
                .append(body)
                .append(data);
        for (String s : scripts) {
            sb.append("<script>").append(s).append("</script>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    /** A text resource beside this class (CSS, JavaScript), UTF-8. */
    static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the eagle4j-report jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

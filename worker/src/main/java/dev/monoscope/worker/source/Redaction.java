package dev.monoscope.worker.source;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes credentials out of text that leaves the worker (logs, reports, webhooks): the user-info of every URL in it
 * (RFC 3986: the authority ends at the first '/', '?', '#' or white space; its user-info at its last '@'; a quote
 * is a sub-delimiter a password may hold, so it does not end it), and the values of query
 * or fragment parameters that carry credentials (tokens, signatures, keys, passwords: by name, any case).
 */
final class Redaction {

    /** A URL's start and its authority. */
    private static final Pattern AUTHORITY = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/?#\\s\"<>]*)");

    /** A parameter: a separator, a name, '=', a value up to the next separator. */
    private static final Pattern PARAMETER = Pattern.compile("([?&;#])([^=&;#?\\s\"'<>]+)=([^&;#\\s\"<>]*)");

    /** Names that carry credentials, whole (after any prefix ending in '-' or '_', such as x-amz-). */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?:.*[-_.])?(?:access_?token|id_?token|refresh_?token|token|auth|authorization|key|apikey|api_?key"
                    + "|password|passwd|pass|pwd|passphrase|secret|sig|signature|credential|security-token|hdnts"
                    + "|hdnea|wmsauthsign|policy|key-pair-id|session|sessionid|jwt|bearer)",
            Pattern.CASE_INSENSITIVE);

    private Redaction() {}

    static String redact(String text) {
        if (text == null) {
            return null;
        }
        return maskParameters(stripUserInfo(text));
    }

    private static String stripUserInfo(String text) {
        Matcher m = AUTHORITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String authority = m.group(2);
            int at = authority.lastIndexOf('@');
            m.appendReplacement(
                    out, Matcher.quoteReplacement(m.group(1) + (at >= 0 ? authority.substring(at + 1) : authority)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String maskParameters(String text) {
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(2);
            String bare = name.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", ""); // __token__ is a token
            boolean secret = SECRET_NAME.matcher(bare).matches()
                    || bare.toLowerCase(Locale.ROOT).matches(".*(token|signature|secret|password|key)");
            String value = secret && !m.group(3).isEmpty() ? "***" : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + name + "=" + value));
        }
        m.appendTail(out);
        return out.toString();
    }
}

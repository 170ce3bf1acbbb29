package dev.backendrouter.router.internal.http;

import dev.backendrouter.api.BackendError;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the backends' common error body, {@code {"error":{"code":..,"message":..,"request_id":..}}},
 * into one line for attempt outcomes, without consuming the response body.
 */
final class ErrorBody {
    private static final long PEEK_BYTES = 8 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ErrorBody() {
    }

    /** {@code DB_DOWN: Database unavailable (request 5f0c...)}, or {@code null} when the body is not of that form. */
    static String describe(Response response) {
        BackendError error = read(response);
        return error == null ? null : printable(error.toString());
    }

    /** The error report, or {@code null} when the body is not of that form. */
    static BackendError read(Response response) {
        MediaType type = response.body().contentType();
        if (type == null || !type.subtype().contains("json")) {
            return null;
        }
        try {
            JsonNode error = JSON.readTree(response.peekBody(PEEK_BYTES).string()).path("error");
            if (!error.isObject()) {
                return null;
            }
            MemberCredentials sent = response.request().tag(MemberCredentials.class);
            String code = masked(error.path("code").asString(""), sent);
            String message = masked(error.path("message").asString(""), sent);
            String requestId = masked(error.path("request_id").asString(""), sent);
            if (code.isEmpty() && message.isEmpty()) {
                return null;
            }
            return new BackendError(blankToNull(printable(code)), blankToNull(printable(message)), blankToNull(printable(requestId)));
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    /**
     * The text with the credential this attempt sent replaced by {@code ****}: some backends quote
     * the key they refuse ("key sk-... is over its quota"), and the text goes into messages, the
     * snapshot and logs. Masked: the header value; for {@code Authorization: Bearer <token>}, the
     * bare token; for {@code Basic <base64>}, the decoded {@code user:password} and the password;
     * each also as a URL would carry it ({@code sk%2Fa%3D} for {@code sk/a=}), since a backend may
     * quote the request line or a query parameter; and any run of {@value #QUOTE} or more
     * characters of a credential, since a backend may quote a key in part ("key sk-live-4f9a…").
     */
    static String masked(String text, MemberCredentials sent) {
        if (sent == null || text.isEmpty()) {
            return text;
        }
        String value = sent.value();
        String masked = maskedWithEncoded(text, value);
        int space = value.indexOf(' ');
        String credential = value;
        if (sent.header().equalsIgnoreCase("Authorization") && space > 0 && space < value.length() - 1
                && AUTH_SCHEME.matcher(value.substring(0, space)).matches()) {
            credential = value.substring(space + 1).strip();
            masked = maskedWithEncoded(masked, credential);
            if (space == 5 && value.regionMatches(true, 0, "Basic", 0, 5)) {
                masked = maskedBasic(masked, credential);
            }
        }
        return maskedQuotes(masked, credential);
    }

    /** A quote of at least this many characters of a credential is masked. */
    static final int QUOTE = 8;
    /** The scheme word of {@code Authorization: <scheme> <credentials>}. */
    private static final Pattern AUTH_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9._~+-]*");
    /** A password shorter than this is masked only within {@code user:password}: shorter ones would mask ordinary words. */
    private static final int SHORTEST_PASSWORD_ALONE = 4;

    private static String maskedBasic(String text, String base64) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return text;
        }
        String masked = maskedWithEncoded(text, decoded);
        int colon = decoded.indexOf(':');
        String password = colon < 0 ? decoded : decoded.substring(colon + 1);
        if (password.length() >= SHORTEST_PASSWORD_ALONE) {
            masked = maskedWithEncoded(masked, password);
        }
        return maskedQuotes(masked, password);
    }

    /** Every run of text made of {@value #QUOTE}-character pieces of the secret becomes {@code ****}. */
    static String maskedQuotes(String text, String secret) {
        if (secret.length() <= QUOTE || text.length() < QUOTE) {
            return text;
        }
        Set<String> pieces = new HashSet<>();
        for (int i = 0; i + QUOTE <= secret.length(); i++) {
            pieces.add(secret.substring(i, i + QUOTE));
        }
        boolean[] quoted = new boolean[text.length()];
        boolean any = false;
        for (int i = 0; i + QUOTE <= text.length(); i++) {
            if (pieces.contains(text.substring(i, i + QUOTE))) {
                Arrays.fill(quoted, i, i + QUOTE, true);
                any = true;
            }
        }
        if (!any) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!quoted[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !quoted[i - 1]) {
                out.append("****");
            }
        }
        return out.toString();
    }

    private static String maskedWithEncoded(String text, String secret) {
        if (secret.isEmpty()) {
            return text;
        }
        String masked = text.replace(secret, "****");
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (encoded.equals(secret)) {
            return masked;
        }
        // percent escapes in either case, a space as + (a form) or %20 (a path)
        for (String form : new String[] {encoded, encoded.replace("+", "%20")}) {
            masked = Pattern.compile(Pattern.quote(form), Pattern.CASE_INSENSITIVE).matcher(masked).replaceAll("****");
        }
        return masked;
    }

    private static String blankToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
    }
}

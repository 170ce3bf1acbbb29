package dev.backendrouter.api;

import dev.backendrouter.api.internal.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tier filled by the ready endpoints of a Kubernetes Service, instead of a fixed URL. In a
 * topology file it is written as a backend's {@code kubernetes} block:
 *
 * <pre>{@code
 * - { name: file-system-server, role: PRIMARY, priority: 1,
 *     kubernetes: { service: file-system-server, namespace: storage, port: http, scheme: http } }
 * }</pre>
 *
 * and held as the member's URL, {@code kubernetes://file-system-server.storage/http} (the Service's
 * DNS name, then the port; {@code ?scheme=https} for TLS). The module
 * {@code dev.backendrouter:backend-router-kubernetes} turns it into one member per endpoint; without
 * it such a member is refused, naming the module.
 *
 * @param service the Service's name
 * @param namespace its namespace, or {@code null} for the client's own (the pod's, or the kubeconfig context's)
 * @param port the port's name ({@code http}) or number; {@code null} when the Service has one port
 * @param scheme {@code http} or {@code https}
 */
public record KubernetesService(String service, String namespace, String port, String scheme) {
    /** The URL scheme of such members. */
    public static final String URL_SCHEME = "kubernetes";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

    public KubernetesService {
        Objects.requireNonNull(service, "service");
        scheme = scheme == null ? "http" : scheme;
    }

    /** The service's problems by field ({@code service}, {@code namespace}, {@code port}, {@code scheme}); empty when it is valid. */
    public static Map<String, String> problems(String service, String namespace, String port, String scheme) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (service == null || service.isBlank()) {
            problems.put("service", "required: the name of the Service whose endpoints fill this tier");
        } else if (!SERVICE_NAME.matcher(service).matches()) {
            problems.put("service", "'" + Texts.printable(service, 100) + "' is not a Service name (lower-case letters, digits"
                    + " and '-', starting with a letter, up to 63)");
        }
        if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
            problems.put("namespace", "'" + Texts.printable(namespace, 100) + "' is not a namespace name (lower-case letters,"
                    + " digits and '-', up to 63)");
        }
        if (port != null && !PORT_NAME.matcher(port).matches()) {
            problems.put("port", "'" + Texts.printable(port, 100) + "' is neither a port name (lower-case letters, digits and"
                    + " '-', up to 15) nor a port number");
        } else if (port != null && port.chars().allMatch(Character::isDigit)
                && (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            problems.put("port", "port " + port + " is outside 1-65535");
        }
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            problems.put("scheme", "must be http or https, was '" + Texts.printable(scheme, 20) + "'");
        }
        return problems;
    }

    /** {@code kubernetes://SERVICE[.NAMESPACE][/PORT][?scheme=https]}. */
    public URI toUrl() {
        String text = URL_SCHEME + "://" + service + (namespace == null ? "" : "." + namespace) + "/" + (port == null ? "" : port)
                + (scheme.equals("https") ? "?scheme=https" : "");
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Kubernetes Service reference: " + Texts.printable(text, 200), e);
        }
    }

    /** Whether a member's URL names a Kubernetes Service. */
    public static boolean isServiceUrl(URI url) {
        return url != null && URL_SCHEME.equalsIgnoreCase(url.getScheme());
    }

    /**
     * The Service a {@code kubernetes://} URL names, or empty when it names none validly (see
     * {@link #problemsOf(URI)}).
     */
    public static Optional<KubernetesService> of(URI url) {
        return isServiceUrl(url) && problemsOf(url).isEmpty() ? Optional.of(parse(url)) : Optional.empty();
    }

    /** The problems of a {@code kubernetes://} URL, by field; empty when it is valid. */
    public static Map<String, String> problemsOf(URI url) {
        Map<String, String> problems = new LinkedHashMap<>();
        String shown = "'" + Texts.printable(Texts.redacted(url), 200) + "'";
        if (url.getRawUserInfo() != null || url.getPort() != -1 || url.getRawFragment() != null) {
            problems.put("url", shown + ": write kubernetes://SERVICE.NAMESPACE/PORT, with no user, colon port or fragment");
            return problems;
        }
        String query = url.getRawQuery();
        if (query != null && !query.equals("scheme=https") && !query.equals("scheme=http")) {
            problems.put("url", shown + ": the only query is scheme=https (or scheme=http)");
            return problems;
        }
        String host = url.getHost();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (host == null || path.length() > 1 && path.substring(1).contains("/")) {
            problems.put("url", shown + " is not kubernetes://SERVICE.NAMESPACE/PORT");
            return problems;
        }
        KubernetesService parsed = parse(url);
        problems.putAll(problems(parsed.service(), parsed.namespace(), parsed.port(), parsed.scheme()));
        return problems;
    }

    private static KubernetesService parse(URI url) {
        String host = url.getHost();
        int dot = host.indexOf('.');
        String path = url.getRawPath() == null || url.getRawPath().length() <= 1 ? null : url.getRawPath().substring(1);
        String scheme = "scheme=https".equals(url.getRawQuery()) ? "https" : "http";
        return new KubernetesService(dot < 0 ? host : host.substring(0, dot), dot < 0 ? null : host.substring(dot + 1), path, scheme);
    }

    @Override
    public String toString() {
        return (namespace == null ? "" : namespace + "/") + service + (port == null ? "" : ":" + port);
    }
}

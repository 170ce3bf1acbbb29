package dev.backendrouter.spring;

import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the starter's credentials in {@code /actuator/configprops} and {@code /actuator/env}
 * even when {@code show-values} is {@code ALWAYS}: {@code backend-router.registry.auth-value}
 * every {@code auth.*} field of an inline backend except the header name, and any
 * {@code backend-router.*} key ending in {@code token}, {@code password} (such as
 * {@code tls.trust-store-password}) or {@code secret}; and the credentials in a backend's URL
 * ({@code redis://:password@cache:6379/0} shows as {@code redis://****@cache:6379/0}).
 */
final class BackendRouterSanitizingFunction implements SanitizingFunction {
    private static final Pattern SECRET = Pattern.compile(
            "backend-router\\..*(auth-?value|\\.auth\\.(?!header$)[^.]+|\\.auth\\[[^]]+]|token|password|secret)$");

    private static final Pattern URL_KEY = Pattern.compile("backend-router\\..*\\.url$");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://).*@");

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getLowerCaseKey();
        if (key == null || data.getValue() == null) {
            return data;
        }
        if (SECRET.matcher(key).matches()) {
            return data.withSanitizedValue();
        }
        if (URL_KEY.matcher(key).matches() && data.getValue() instanceof CharSequence url) {
            java.util.regex.Matcher credentials = URL_CREDENTIALS.matcher(url);
            return credentials.find() ? data.withValue(credentials.replaceFirst("$1****@")) : data;
        }
        return data;
    }
}

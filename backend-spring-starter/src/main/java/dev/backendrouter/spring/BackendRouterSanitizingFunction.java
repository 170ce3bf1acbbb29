package dev.backendrouter.spring;

import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the starter's credentials in {@code /actuator/configprops} and {@code /actuator/env}
 * even when {@code show-values} is {@code ALWAYS}: {@code backend-router.registry.auth-value}
 * every {@code auth.*} field of an inline backend except the header name, and any
 * {@code backend-router.*} key ending in {@code token}, {@code password} (such as
 * {@code tls.trust-store-password}) or {@code secret}.
 */
final class BackendRouterSanitizingFunction implements SanitizingFunction {
    private static final Pattern SECRET = Pattern.compile(
            "backend-router\\..*(auth-?value|\\.auth\\.(?!header$)[^.]+|\\.auth\\[[^]]+]|token|password|secret)$");

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getLowerCaseKey();
        return key != null && SECRET.matcher(key).matches() && data.getValue() != null ? data.withSanitizedValue() : data;
    }
}

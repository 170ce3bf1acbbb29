package dev.backendrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** Credentials stay masked in configprops and env even when an operator shows values. */
class SecretsInActuatorTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class,
                    BackendRouterActuatorAutoConfiguration.class))
            .withPropertyValues(
                    "backend-router.health.enabled=false",
                    "backend-router.groups.storage.backends[0].name=primary",
                    "backend-router.groups.storage.backends[0].url=http://127.0.0.1:1",
                    "backend-router.groups.storage.backends[0].auth.header=X-API-Key",
                    "backend-router.groups.storage.backends[0].auth.value=inline-very-secret",
                    "backend-router.groups.storage.backends[1].name=bearer",
                    "backend-router.groups.storage.backends[1].url=http://127.0.0.1:2",
                    "backend-router.groups.storage.backends[1].role=BACKUP",
                    "backend-router.groups.storage.backends[1].priority=2",
                    "backend-router.groups.storage.backends[1].auth.bearer=inline-token-secret");

    @Test
    void configPropsAndEnvMaskEveryCredentialWithShowValuesAlways() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Iterable<SanitizingFunction> functions = context.getBeanProvider(SanitizingFunction.class).orderedStream().toList();
            ConfigurationPropertiesReportEndpoint configProps = new ConfigurationPropertiesReportEndpoint(functions, Show.ALWAYS);
            configProps.setApplicationContext(context);
            String configJson = JsonMapper.shared().writeValueAsString(configProps.configurationProperties());
            String envJson = JsonMapper.shared().writeValueAsString(
                    new EnvironmentEndpoint(context.getEnvironment(), functions, Show.ALWAYS).environment(null));

            for (String json : new String[] {configJson, envJson}) {
                assertThat(json).contains("X-API-Key", "http://127.0.0.1:1")
                        .doesNotContain("inline-very-secret", "inline-token-secret");
            }
        });
    }

    @Test
    void theRegistryCredentialAndTheTrustStorePasswordAreMaskedToo() {
        SanitizingFunction function = new BackendRouterSanitizingFunction();
        assertThat(function.apply(data("backend-router.registry.auth-value", "reg-secret")).getValue()).isEqualTo("******");
        assertThat(function.apply(data("backend-router.registry.authValue", "reg-secret")).getValue()).isEqualTo("******");
        assertThat(function.apply(data("backend-router.registry.token", "brt_secret")).getValue()).isEqualTo("******");
        assertThat(function.apply(data("backend-router.registry.auth-header", "X-API-Key")).getValue()).isEqualTo("X-API-Key");
        assertThat(function.apply(data("backend-router.groups.storage.backends[0].auth.header", "X-API-Key")).getValue())
                .isEqualTo("X-API-Key");
        assertThat(function.apply(data("backend-router.groups.storage.backends[0].url", "http://a:1")).getValue())
                .isEqualTo("http://a:1");
        assertThat(function.apply(data("backend-router.groups.storage.backends[0].tls.trust-store-password", "store-secret"))
                .getValue()).isEqualTo("******");
        assertThat(function.apply(data("backend-router.groups.storage.backends[0].tls.trust-store", "trust.p12")).getValue())
                .isEqualTo("trust.p12");
    }

    @Test
    void credentialsInARedisUrlAndARedisPasswordAreMasked() {
        SanitizingFunction function = new BackendRouterSanitizingFunction();
        assertThat(function.apply(data("backend-router.groups.files.backends[0].url", "redis://:redis-secret@cache:6379/0"))
                .getValue()).isEqualTo("redis://****@cache:6379/0");
        assertThat(function.apply(data("backend-router.groups.files.backends[0].url", "rediss://app:p@ss@cache:6380/1"))
                .getValue()).isEqualTo("rediss://****@cache:6380/1");
        assertThat(function.apply(data("backend-router.groups.files.backends[0].url", "redis://:ab/cd?e#f@cache:6379/0"))
                .getValue()).isEqualTo("redis://****@cache:6379/0");
        assertThat(function.apply(data("backend-router.groups.files.backends[0].url", "redis://cache:6379/0")).getValue())
                .isEqualTo("redis://cache:6379/0");
        assertThat(function.apply(data("backend-router.groups.files.backends[0].auth.password", "redis-secret")).getValue())
                .isEqualTo("******");
        assertThat(function.apply(data("backend-router.groups.files.backends[0].auth.username", "app")).getValue())
                .isEqualTo("******");
    }

    private static org.springframework.boot.actuate.endpoint.SanitizableData data(String key, String value) {
        return new org.springframework.boot.actuate.endpoint.SanitizableData(null, key, value);
    }
}

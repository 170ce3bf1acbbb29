package dev.backendrouter.router.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class HttpRunnerTest {

    private static String rewrite(String logical, String base) {
        return HttpRunner.rewrite(HttpUrl.get(logical), HttpUrl.get(base)).toString();
    }

    @Test
    void keepsPathAndQueryUnderTheMembersBase() {
        assertThat(rewrite("http://storage/files/42?x=1&y=a%20b", "http://localhost:4001"))
                .isEqualTo("http://localhost:4001/files/42?x=1&y=a%20b");
        assertThat(rewrite("http://storage/files/42", "https://fs.internal:8443/api"))
                .isEqualTo("https://fs.internal:8443/api/files/42");
        assertThat(rewrite("http://storage/files/42", "https://fs.internal/api/")).isEqualTo("https://fs.internal/api/files/42");
        assertThat(rewrite("http://storage/", "http://h:1/base")).isEqualTo("http://h:1/base/");
        assertThat(rewrite("http://storage/a%2Fb#frag", "http://h:1")).isEqualTo("http://h:1/a%2Fb");
    }

    @Test
    void readsAreGetHeadAndOptions() {
        assertThat(RoutingInterceptor.isRead("GET")).isTrue();
        assertThat(RoutingInterceptor.isRead("HEAD")).isTrue();
        assertThat(RoutingInterceptor.isRead("OPTIONS")).isTrue();
        assertThat(RoutingInterceptor.isRead("PUT")).isFalse();
        assertThat(RoutingInterceptor.isRead("POST")).isFalse();
    }
}

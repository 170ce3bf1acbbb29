package dev.backendrouter.cli;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Loopback backends a test starts, stopped after it:
 * {@code @RegisterExtension final TestBackends backends = new TestBackends();}.
 */
final class TestBackends implements AfterEachCallback {
    private final List<TestBackend> started = new ArrayList<>();

    TestBackend start(String name) {
        TestBackend backend = new TestBackend(name);
        started.add(backend);
        return backend;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(TestBackend::close);
        started.clear();
    }
}

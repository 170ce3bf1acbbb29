package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebElement;

/**
 * What the admin page's tests share: a registry with access control on, its tokens, a browser,
 * deployments made through the API, simulated backends on loopback, and sign-in through the page.
 * Screenshots go to {@code target/screenshots}, or to the folder {@code -Dregistry.screenshots} names.
 */
final class PageFixture implements AutoCloseable {
    final Instance registry;
    final Browser browser;
    final String writeToken;
    final String readToken;
    private final String[] ops;
    private final List<HttpServer> backends = new ArrayList<>();

    PageFixture(Path data, Path profile) {
        registry = Instance.start(Instance.h2(data));
        Browser started = null;
        try {
            Tokens tokens = registry.bean(Tokens.class);
            writeToken = tokens.create("ops", "write");
            readToken = tokens.create("viewer", "read");
            ops = new String[] {"Authorization", "Bearer " + writeToken};
            started = Browser.start(profile);
        } catch (RuntimeException | Error e) {
            registry.close();
            throw e;
        }
        browser = started;
    }

    /** A backend on a free loopback port that answers every request with {@code answer}. */
    int backend(String answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    void deployment(long id, String serviceName, String name, int port, String stage) throws IOException {
        String body = "{\"id\": " + id + ", \"serviceName\": \"" + serviceName + "\", \"name\": \"" + name + "\", \"host\": \"127.0.0.1\","
                + " \"port\": " + port + ", \"status\": \"running\"" + (stage == null ? "" : ", \"stage\": \"" + stage + "\"") + "}";
        assertThat(api("POST", "/api/deployments", body).status()).as("deployment %d made", id).isEqualTo(201);
    }

    long connect(long service, long backend, String role, Integer priority, String group) throws IOException {
        Instance.Answer added = api("POST", "/api/backends", "{\"serviceDeploymentId\": " + service + ", \"backendDeploymentId\": "
                + backend + ", \"role\": \"" + role + "\"" + (priority == null ? "" : ", \"priority\": " + priority)
                + ", \"group\": \"" + group + "\"}");
        assertThat(added.status()).as("connection %d -> %d: %s", service, backend, added.body()).isEqualTo(201);
        return added.body().get("id").asLong();
    }

    /** A call with the write token, as a script would make it. */
    Instance.Answer api(String method, String path, String body) throws IOException {
        return registry.call(method, path, body, ops);
    }

    /** Signs in through the page's form and waits until the header says who is signed in. */
    void signIn(String token) {
        browser.open(registry.base + "/#/sign-in");
        WebElement field = browser.find("#token");
        field.clear();
        field.sendKeys(token);
        browser.find("#sign-in button[type=submit]").click();
        browser.find("#who");
    }

    /** A fresh document and no session: a hash change alone would keep the last test's page, and any dialog on it. */
    void reset() {
        browser.open(registry.base + "/api/session");      // the session cookie's path, where it can be deleted
        browser.driver.manage().deleteAllCookies();
        browser.open("about:blank");
    }

    void openDeployment(long id) {
        browser.open(registry.base + "/#/deployments/" + id);
        browser.until(d -> browser.present("#info-name") && !browser.find("#info-name").getText().isBlank(), "deployment " + id);
    }

    /** A screenshot of the window made {@code height} pixels tall, so that the whole page is in it. */
    void screenshot(String name, int height) {
        org.openqa.selenium.Dimension size = browser.driver.manage().window().getSize();
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(), height));
        try {
            String folder = System.getProperty("registry.screenshots", "target/screenshots");
            browser.screenshot(Path.of(folder, name + ".png"));
        } finally {
            browser.driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            backends.forEach(server -> server.stop(0));
            registry.close();
        }
    }
}

package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Who may do what on the admin page, and its use by keyboard alone: the sign-in, a read-only token
 * that sees no write control and whose forged write is refused, a write from another site refused
 * for its missing CSRF token though the cookie went with it, and the whole add flow with Tab,
 * Enter and typing, focus never leaving the open modal.
 */
class RegistryPageAccessIntegrationTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static PageFixture page;

    @BeforeAll
    static void start() throws IOException {
        page = new PageFixture(data, profile);
        page.deployment(130, "billing-service", "billing-service-1", 8070, null);
        page.deployment(456, "file-system-server", "file-system-server-1", 4001, null);
        page.deployment(457, "file-system-server", "file-system-server-2", 4002, null);
        page.connect(130, 456, "PRIMARY", 1, "files");
    }

    @BeforeEach
    void signedOut() {
        page.reset();
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(page.browser.scriptErrors()).as("errors in the browser's console").isEmpty();
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void withoutATokenThePageAsksForOneAndAWrongTokenIsRefusedAtTheField() {
        page.browser.open(page.registry.base + "/#/deployments/130");
        WebElement token = page.browser.find("#token");
        assertThat(page.browser.find("main").getText()).contains("This registry needs a token to be read.");
        assertThat(page.browser.present("#info-name")).isFalse();
        token.sendKeys("brt_not-a-token");
        page.browser.find("#sign-in button[type=submit]").click();
        page.browser.until(d -> page.browser.find("#token-error").getText().contains("unknown or revoked"), "the refusal at the field");
        assertThat(token.getAttribute("aria-invalid")).isEqualTo("true");
        page.browser.open(page.registry.base + "/api/session");
        assertThat(page.browser.driver.manage().getCookies()).as("no session for a wrong token").isEmpty();
        assertThat(page.browser.find("body").getText()).contains("\"signedIn\":false");
    }

    @Test
    void aReadOnlyTokenSeesNoWriteControlsAndItsForgedWriteIsRefused() throws IOException {
        page.signIn(page.readToken);
        assertThat(page.browser.find("#who").getText()).contains("viewer", "read-only");
        page.browser.open(page.registry.base + "/api/session");     // the cookie's path: it goes to the API alone
        assertThat(page.browser.find("body").getText()).contains("\"name\":\"viewer\"", "\"canWrite\":false");
        var cookie = page.browser.driver.manage().getCookieNamed(AccessFilter.SESSION_COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat((Boolean) page.browser.script("return document.cookie.includes('brt_')")).as("scripts cannot read the token").isFalse();

        page.openDeployment(130);
        page.browser.find("#backend-list tr[data-backend-id='456']");
        assertThat(page.browser.present("#add-backend")).isFalse();
        assertThat(page.browser.present("button.edit")).isFalse();
        assertThat(page.browser.present("button.remove")).isFalse();

        // the controls are hidden, not the only guard: a write sent anyway, with the session's CSRF token, is refused
        String answer = fetchFromPage("POST", "/api/backends", "{\"serviceDeploymentId\": 130, \"backendDeploymentId\": 457,"
                + " \"role\": \"BACKUP\", \"group\": \"files\"}", true);
        assertThat(answer).startsWith("403 ").contains("FORBIDDEN", "scope read");
        assertThat(page.api("GET", "/api/backends/deployment/130", null).body().size()).isEqualTo(1);
    }

    @Test
    void aWriteWithTheSessionCookieButWithoutItsCsrfTokenIsRefusedAlsoFromAnotherSite() throws IOException {
        page.signIn(page.writeToken);
        int changes = page.api("GET", "/api/audit?deploymentId=130", null).body().size();
        String body = "{\"serviceDeploymentId\": 130, \"backendDeploymentId\": 457, \"role\": \"BACKUP\", \"group\": \"files\"}";
        assertThat(fetchFromPage("POST", "/api/backends", body, false)).startsWith("403 ").contains("CSRF_REFUSED");

        // a page on another port of the same host is the same site, so the SameSite cookie goes along: the CSRF token stops it
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String form = "<!doctype html><form id=f method=POST enctype=text/plain action=\"" + page.registry.base + "/api/backends\">"
                + "<input name='{\"serviceDeploymentId\": 130, \"backendDeploymentId\": 457, \"role\": \"BACKUP\", \"x\": \"' value='\"}'>"
                + "</form><script>document.getElementById('f').submit()</script>";
        other.createContext("/", exchange -> {
            byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        other.start();
        try {
            page.browser.open("http://127.0.0.1:" + other.getAddress().getPort() + "/");
            page.browser.until(d -> d.getCurrentUrl().startsWith(page.registry.base), "the forged form's answer");
            assertThat(page.browser.find("body").getText()).contains("CSRF_REFUSED");
        } finally {
            other.stop(0);
        }
        assertThat(page.api("GET", "/api/backends/deployment/130", null).body().size()).as("nothing written").isEqualTo(1);
        assertThat(page.api("GET", "/api/audit?deploymentId=130", null).body().size()).as("no change recorded").isEqualTo(changes);
    }

    @Test
    void theWholeAddFlowWorksByKeyboardAloneWithFocusKeptInTheModal() throws IOException {
        page.signIn(page.writeToken);
        page.openDeployment(130);
        Browser browser = page.browser;
        browser.find("#backend-list tr[data-backend-id='456']");
        for (int i = 0; i < 40 && !"add-backend".equals(browser.focused().getAttribute("id")); i++) {
            press(Keys.TAB);
        }
        assertThat(browser.focused().getAttribute("id")).as("Tab reaches the add button").isEqualTo("add-backend");

        press(Keys.ENTER);
        browser.find("#backend-modal");
        assertThat(browser.focused().getAttribute("id")).isEqualTo("bm-search");
        for (int i = 0; i < 14; i++) {
            press(Keys.TAB);
            assertThat(insideModal()).as("Tab %d stays in the modal", i).isTrue();
        }
        for (int i = 0; i < 14; i++) {
            press(Keys.chord(Keys.SHIFT, Keys.TAB));
            assertThat(insideModal()).as("Shift+Tab %d stays in the modal", i).isTrue();
        }
        press(Keys.ESCAPE);
        browser.untilGone("#backend-modal");
        assertThat(browser.focused().getAttribute("id")).as("focus back on what opened it").isEqualTo("add-backend");

        press(Keys.ENTER);
        browser.find("#backend-modal");
        type("server-2");
        browser.find("#bm-results button.pick[data-deployment-id='457']");
        press(Keys.ENTER);      // one match: Enter in the search field picks it, and focus moves on to the role
        browser.until(d -> "bm-role".equals(browser.focused().getAttribute("id")), "focus on the role");
        assertThat(browser.find("#bm-chosen").getText()).contains("file-system-server-2");
        type("B");              // BACKUP, chosen by its first letter
        browser.until(d -> "BACKUP".equals(browser.find("#bm-role").getAttribute("value")), "BACKUP chosen");
        press(Keys.TAB);
        assertThat(browser.focused().getAttribute("id")).isEqualTo("bm-priority");
        type("3");
        press(Keys.TAB);
        assertThat(browser.focused().getAttribute("id")).as("a BACKUP may name a shard").isEqualTo("bm-routingKey");
        press(Keys.TAB);
        type("files");
        press(Keys.ENTER);      // Enter in a field submits the form
        browser.untilGone("#backend-modal");
        WebElement row = browser.find("#backend-list tr[data-backend-id='457']");
        assertThat(row.getText()).contains("BACKUP", "3", "files");
        assertThat(browser.focused().getAttribute("id")).isEqualTo("add-backend");

        // an edit saved by keyboard: the list is drawn again, and the focus is back on the same row's Edit
        for (int i = 0; i < 40 && !"Edit backend file-system-server-2".equals(browser.focused().getAttribute("aria-label")); i++) {
            press(Keys.TAB);
        }
        press(Keys.ENTER);
        browser.find("#backend-modal");
        browser.until(d -> "bm-role".equals(browser.focused().getAttribute("id")), "focus on the role");
        press(Keys.TAB);
        press(Keys.BACK_SPACE);
        type("4");
        press(Keys.ENTER);
        browser.untilGone("#backend-modal");
        browser.until(d -> browser.find("#backend-list tr[data-backend-id='457']").findElements(org.openqa.selenium.By.tagName("td"))
                .get(2).getText().equals("4"), "the new priority");
        browser.until(d -> "Edit backend file-system-server-2".equals(browser.focused().getAttribute("aria-label")),
                "focus on the same Edit button of the list drawn again");

        // the removal asks first; Escape answers no
        for (int i = 0; i < 40 && !String.valueOf(browser.focused().getAttribute("aria-label")).equals("Remove backend file-system-server-2"); i++) {
            press(Keys.TAB);
        }
        press(Keys.ENTER);
        browser.find("dialog[role=alertdialog]");
        press(Keys.ESCAPE);
        browser.untilGone("dialog[role=alertdialog]");
        assertThat(browser.present("#backend-list tr[data-backend-id='457']")).isTrue();
        press(Keys.ENTER);
        browser.find("dialog[role=alertdialog]");
        press(Keys.TAB);        // from Cancel to Remove
        press(Keys.ENTER);
        browser.until(d -> !browser.present("#backend-list tr[data-backend-id='457']"), "457 removed");
        browser.until(d -> "add-backend".equals(browser.focused().getAttribute("id")), "focus on Add once its row is gone");
        assertThat(page.api("GET", "/api/backends/deployment/130", null).body().size()).isEqualTo(1);
    }

    /** A request made by the signed-in page's own scripts: "STATUS CODE message". */
    private String fetchFromPage(String method, String path, String body, boolean withCsrf) {
        page.browser.open(page.registry.base + "/#/deployments");
        page.browser.find("#deployments table");
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) page.browser.async("""
                const [method, path, body, withCsrf, done] = arguments;
                (async () => {
                  const session = await (await fetch('/api/session')).json();
                  const headers = { 'Content-Type': 'application/json' };
                  if (withCsrf) headers['X-CSRF-Token'] = session.csrf;
                  const response = await fetch(path, { method, headers, body });
                  const json = await response.json();
                  done({ status: response.status, code: json.error?.code ?? '', message: json.error?.message ?? '' });
                })().catch(e => done({ status: 0, code: 'SCRIPT', message: String(e) }));""", method, path, body, withCsrf);
        return answer.get("status") + " " + answer.get("code") + " " + answer.get("message");
    }

    private boolean insideModal() {
        return (Boolean) page.browser.script("const d = document.getElementById('backend-modal'); return d.contains(document.activeElement)"
                + " && document.activeElement !== d");
    }

    private void press(CharSequence key) {
        new Actions(page.browser.driver).sendKeys(key).perform();
    }

    private void type(String text) {
        new Actions(page.browser.driver).sendKeys(text).perform();
    }
}

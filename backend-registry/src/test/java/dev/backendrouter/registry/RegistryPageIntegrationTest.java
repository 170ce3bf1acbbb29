package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin page in headless Chromium, used as an operator uses it: deployment 123 gets 456 as its
 * PRIMARY through the modal, then as a BACKUP, then loses it, while a real router watching 123
 * follows each step; a SHARD without a routing key is refused at its field; changes made elsewhere
 * appear without a reload; deployments are found by name, service and stage.
 */
class RegistryPageIntegrationTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static PageFixture page;
    static int storage1;
    static int storage2;

    @BeforeAll
    static void start() throws IOException {
        page = new PageFixture(data, profile);
        storage1 = page.backend("from-456");
        storage2 = page.backend("from-457");
        page.deployment(123, "file-service", "file-service-1", 8080, "prod");
        page.deployment(456, "file-system-server", "file-system-server-1", storage1, "prod");
        page.deployment(457, "file-system-server", "file-system-server-2", storage2, "prod");
        page.deployment(140, "report-service", "report-service-1", 8090, null);
        page.connect(123, 457, "PRIMARY", 5, "files");
        page.connect(140, 457, "PRIMARY", null, "files");
    }

    @BeforeEach
    void signedIn() {
        page.reset();
        page.signIn(page.writeToken);
        page.browser.open("about:blank");
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
    void anOperatorAddsChangesAndRemovesABackendAndARouterFollowsEachStep() throws Exception {
        TopologySource source = TopologySource.registry(URI.create(page.registry.base), 123).withAuth(BackendAuth.bearer(page.readToken));
        try (BackendRouter router = BackendRouter.builder().topology(source).reloadEvery(Duration.ofSeconds(30))
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThat(call(router)).isEqualTo("from-457");
            page.openDeployment(123);
            Browser browser = page.browser;
            assertThat(browser.find("#info-name").getText()).isEqualTo("file-service-1");
            assertThat(browser.find("#info-port").getText()).isEqualTo("8080");
            assertThat(browser.find("#info-status").getText()).isEqualTo("running");

            browser.find("#add-backend").click();
            browser.find("#backend-modal #bm-search").sendKeys("system-server-1");
            browser.find("#bm-results button.pick[data-deployment-id='456']").click();
            assertThat(browser.find("#bm-chosen").getText()).contains("file-system-server-1", "#456");
            assertThat(new Select(browser.find("#bm-role")).getFirstSelectedOption().getAttribute("value")).isEqualTo("PRIMARY");
            assertThat(browser.all("#bm-routingKey-field").get(0).isDisplayed()).as("a PRIMARY has no routing key").isFalse();
            browser.find("#bm-priority").sendKeys("1");
            browser.find("#bm-group").sendKeys("files");
            page.screenshot("registry-add-backend-modal", 820);
            browser.find("#bm-save").click();
            browser.untilGone("#backend-modal");

            assertThat(badge(456)).isEqualTo("PRIMARY");
            assertThat(row(456).findElement(By.cssSelector(".badge")).getAttribute("class")).contains("role-PRIMARY");
            Instance.Answer listed = page.api("GET", "/api/backends/deployment/123", null);
            assertThat(listed.body().findValues("backendDeploymentId").stream().map(n -> n.asLong()).toList()).contains(456L);
            assertThat(roleInApi(456)).isEqualTo("PRIMARY");
            awaitAnswer(router, "from-456");
            browser.until(d -> browser.find("#topology").getText().contains("file-system-server-1"), "the preview with 456");

            row(456).findElement(By.cssSelector("button.edit")).click();
            WebElement role = browser.find("#backend-modal #bm-role");
            assertThat(browser.find("#bm-priority").getAttribute("value")).isEqualTo("1");
            new Select(role).selectByValue("BACKUP");
            browser.find("#bm-save").click();
            browser.untilGone("#backend-modal");
            browser.until(d -> badge(456).equals("BACKUP"), "the BACKUP badge");
            assertThat(roleInApi(456)).isEqualTo("BACKUP");
            awaitAnswer(router, "from-457");

            page.openDeployment(456);
            WebElement consumer = browser.find("#consumers li[data-deployment-id='123'] a");
            assertThat(consumer.getText()).isEqualTo("file-service-1");
            consumer.click();
            browser.until(d -> browser.find("#info-name").getText().equals("file-service-1"), "the consumer's page");

            row(456).findElement(By.cssSelector("button.remove")).click();
            WebElement confirm = browser.find("dialog[role=alertdialog]");
            assertThat(confirm.getText()).contains("Remove file-system-server-1?");
            assertThat(browser.focused().getText()).as("the safe choice has focus").isEqualTo("Cancel");
            confirm.findElement(By.cssSelector("button.danger")).click();
            browser.until(d -> browser.all("#backend-list tr[data-backend-id='456']").isEmpty(), "456 gone from the list");
            assertThat(page.api("GET", "/api/backends/deployment/123", null).body().findValues("backendDeploymentId")
                    .stream().map(n -> n.asLong()).toList()).containsExactly(457L);
            awaitMembers(router, List.of("file-system-server-2"));
            page.openDeployment(456);
            browser.find("#consumers p.empty");
        }
    }

    @Test
    void aShardWithoutARoutingKeyIsRefusedAtItsField() throws IOException {
        page.openDeployment(140);
        Browser browser = page.browser;
        browser.find("#add-backend").click();
        browser.find("#bm-search").sendKeys("456");
        browser.find("#bm-results button.pick[data-deployment-id='456']").click();
        new Select(browser.find("#bm-role")).selectByValue("SHARD");
        assertThat(browser.find("#bm-routingKey-field").getText()).contains("Routing key (required)");
        assertThat(browser.all("#bm-priority-field").get(0).isDisplayed()).as("a SHARD's priority is not asked for").isFalse();
        browser.find("#bm-group").sendKeys("users");
        browser.find("#bm-save").click();

        WebElement error = browser.find("#bm-routingKey-error");
        assertThat(error.getText()).contains("required for a SHARD");
        assertThat(browser.find("#bm-routingKey").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.focused().getAttribute("id")).isEqualTo("bm-routingKey");

        browser.find("#bm-routingKey").sendKeys("users-a-m");
        browser.find("#bm-save").click();
        browser.until(d -> browser.find("#bm-routingKey-error").getText().contains("gap after range a-m"),
                "the router's own validator, through the API, at the field");
        assertThat(browser.all("#bm-alert").get(0).isDisplayed()).as("one problem, at its field").isFalse();

        browser.find("#bm-group").clear();
        browser.find("#bm-group").sendKeys("files");     // beside 457, the PRIMARY of files
        browser.find("#bm-save").click();
        WebElement alert = browser.find("#bm-alert");
        assertThat(alert.getText()).contains("routers of this deployment would not accept", "a sharded group cannot have PRIMARY backends");
        assertThat(browser.focused().getAttribute("id")).isEqualTo("bm-alert");
        assertThat(browser.find("#bm-routingKey-error").getText()).contains("gap after range a-m");
        browser.find("#bm-cancel").click();
        browser.untilGone("#backend-modal");
        assertThat(page.api("GET", "/api/backends/deployment/140", null).body().size()).as("nothing added").isEqualTo(1);
    }

    @Test
    void anEditOfAConnectionSomeoneElseChangedMeanwhileIsRefusedAndThePageShowsTheirs() throws IOException {
        page.openDeployment(140);
        Browser browser = page.browser;
        WebElement row = browser.find("#backend-list tr[data-backend-id='457']");
        long id = Long.parseLong(row.getAttribute("data-connection-id"));
        row.findElement(By.cssSelector("button.edit")).click();
        browser.find("#backend-modal #bm-priority").sendKeys("4");
        assertThat(page.api("PUT", "/api/backends/" + id, "{\"serviceDeploymentId\": 140, \"backendDeploymentId\": 457,"
                + " \"role\": \"PRIMARY\", \"priority\": 7, \"group\": \"files\"}").status()).isEqualTo(200);
        browser.find("#bm-save").click();
        browser.until(d -> browser.find("#bm-alert").getText().contains("The form now shows their version"), "the refusal");
        assertThat(browser.find("#bm-alert").getText()).contains("Someone changed this meanwhile");
        assertThat(browser.find("#bm-priority").getAttribute("value")).as("their priority, not the one typed").isEqualTo("7");
        browser.find("#bm-cancel").click();
        browser.until(d -> browser.find("#backend-list tr[data-backend-id='457']").findElements(By.tagName("td")).get(2).getText()
                .equals("7"), "their priority on the page");
        assertThat(page.api("PUT", "/api/backends/" + id, "{\"serviceDeploymentId\": 140, \"backendDeploymentId\": 457,"
                + " \"role\": \"PRIMARY\", \"group\": \"files\"}").status()).isEqualTo(200);
    }

    @Test
    void aChangeMadeThroughTheApiAppearsOnAnOpenPageWithoutReload() throws IOException {
        page.openDeployment(140);
        Browser browser = page.browser;
        browser.script("window.notReloaded = true");
        long id = page.connect(140, 456, "READ_REPLICA", 2, "files");
        browser.until(d -> browser.present("#backend-list tr[data-backend-id='456']"), "the replica on the open page");
        assertThat(badge(456)).isEqualTo("READ_REPLICA");
        browser.until(d -> browser.find("#history").getText().contains("#456 READ_REPLICA p2 in files"), "the change in the history");
        assertThat(page.api("DELETE", "/api/backends/" + id, null).status()).isEqualTo(204);
        browser.until(d -> browser.all("#backend-list tr[data-backend-id='456']").isEmpty(), "the replica gone");
        assertThat(browser.script("return window.notReloaded === true")).as("the page was not reloaded").isEqualTo(true);
    }

    /** Each open page waits on the registry; a browser has about six connections per host, so hidden tabs give theirs up. */
    @Test
    void manyOpenTabsDoNotStarveTheOneInFront() throws IOException {
        Browser browser = page.browser;
        String first = browser.driver.getWindowHandle();
        try {
            page.openDeployment(140);
            browser.until(d -> browser.find("#live").getText().equals("Live"), "the first tab following changes");
            for (int tab = 0; tab < 8; tab++) {
                browser.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
                page.openDeployment(tab % 2 == 0 ? 123 : 457);
            }
            assertThat(browser.script("return document.hidden")).isEqualTo(false);
            browser.find("#add-backend").click();
            browser.find("#bm-search").sendKeys("456");
            browser.find("#bm-results button.pick[data-deployment-id='456']");
            browser.find("#bm-cancel").click();
            String last = browser.driver.getWindowHandle();
            browser.driver.switchTo().window(first);
            long id = page.connect(140, 456, "ARCHIVE", 9, "files");
            browser.until(d -> browser.present("#backend-list tr[data-backend-id='456']"), "a change on the first tab, seen again");
            assertThat(page.api("DELETE", "/api/backends/" + id, null).status()).isEqualTo(204);
            for (String handle : browser.driver.getWindowHandles()) {
                if (!handle.equals(first)) {
                    browser.driver.switchTo().window(handle);
                    if (!handle.equals(last)) {
                        assertThat(browser.find("#live").getAttribute("data-pauses")).as("a tab behind others paused").isNotNull();
                    }
                    browser.driver.close();
                }
            }
        } finally {
            browser.driver.switchTo().window(first);
        }
    }

    @Test
    void deploymentsAreFoundByNameServiceAndStage() {
        Browser browser = page.browser;
        browser.open(page.registry.base + "/#/deployments");
        browser.find("#q-name").sendKeys("SYSTEM-server");
        browser.until(d -> ids().equals(List.of("456", "457")), "the two storage deployments");
        browser.find("#q-name").clear();
        browser.find("#q-service").sendKeys("report-service");
        browser.until(d -> ids().equals(List.of("140")), "the report service");
        browser.find("#q-service").clear();
        browser.find("#q-stage").sendKeys("prod");
        browser.until(d -> ids().equals(List.of("123", "456", "457")), "the prod stage");
        browser.find("#deployments a[href='#/deployments/457']").click();
        browser.until(d -> browser.find("#info-name").getText().equals("file-system-server-2"), "457's page");
    }

    @Test
    void thePreviewShowsWhatRoutersReceiveAndTheBasicInfo() {
        page.openDeployment(140);
        Browser browser = page.browser;
        browser.until(d -> browser.find("#topology-state").getText().startsWith("Valid"), "a valid preview");
        assertThat(browser.find("#topology").getText()).contains("http://files/", "file-system-server-2", "PRIMARY");
        page.openDeployment(457);
        browser.until(d -> browser.find("#topology-state").getText().startsWith("Routers refuse this"), "no backends");
        assertThat(browser.find("#topology").getText()).contains("no backend connections yet");
        assertThat(browser.find("#no-backends").getText()).contains("No backends yet");
        @SuppressWarnings("unchecked")
        Map<String, Object> fromModule = (Map<String, Object>) browser.async("""
                const done = arguments[arguments.length - 1];
                import('/app/backend-service.js').then(async ({ BackendService }) => {
                  const service = new BackendService();
                  const consumers = await service.getConsumersForDeployment(457);
                  const backends = await service.getBackendsForDeployment(140);
                  let refused = null;
                  try { await service.getDeployment(999999); } catch (e) { refused = e.status + ' ' + e.code + ': ' + e.message; }
                  done({ consumers: consumers.map(d => d.id), roles: backends.map(b => b.role.name), refused });
                }, e => done({ error: String(e) }));""");
        assertThat(fromModule.get("consumers")).as("BackendService.getConsumersForDeployment").isEqualTo(List.of(123L, 140L));
        assertThat(fromModule.get("roles")).as("BackendService.getBackendsForDeployment").isEqualTo(List.of("PRIMARY"));
        assertThat((String) fromModule.get("refused")).startsWith("404 NOT_FOUND: no deployment 999999");
    }

    @Test
    void everyRoleHasABadgeOfItsOwnColourThatReadsWithoutColour() throws IOException {
        page.deployment(150, "catalog-service", "catalog-service-1", 8100, null);
        int port = 5100;
        for (String name : List.of("catalog-store-1", "catalog-store-2", "catalog-replica", "catalog-archive", "catalog-cache",
                "users-a-m", "users-n-z")) {
            page.deployment(151 + port - 5100, "catalog-" + (port < 5105 ? "store" : "users"), name, port++, null);
        }
        page.connect(150, 151, "PRIMARY", 1, "catalog");
        page.connect(150, 152, "BACKUP", 2, "catalog");
        page.connect(150, 153, "READ_REPLICA", 1, "catalog");
        page.connect(150, 154, "ARCHIVE", 3, "catalog");
        page.connect(150, 155, "CACHE", 1, "catalog");
        assertThat(page.api("POST", "/api/backends", "[{\"serviceDeploymentId\": 150, \"backendDeploymentId\": 156, \"role\": \"SHARD\","
                + " \"routingKey\": \"users-a-m\", \"group\": \"users\"}, {\"serviceDeploymentId\": 150, \"backendDeploymentId\": 157,"
                + " \"role\": \"SHARD\", \"routingKey\": \"users-n-z\", \"group\": \"users\"}]").status()).isEqualTo(201);

        page.openDeployment(150);
        Browser browser = page.browser;
        browser.until(d -> browser.all("#backend-list .badge").size() == 7, "seven backends");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> badges = (List<Map<String, String>>) browser.script("""
                return [...document.querySelectorAll('#backend-list .badge')].map(b => ({ text: b.textContent,
                  background: getComputedStyle(b).backgroundColor, color: getComputedStyle(b).color }));""");
        assertThat(badges).extracting(b -> b.get("text")).containsExactlyInAnyOrder("PRIMARY", "BACKUP", "READ_REPLICA", "ARCHIVE",
                "CACHE", "SHARD", "SHARD");
        Map<String, String> backgrounds = new java.util.TreeMap<>();
        badges.forEach(b -> backgrounds.put(b.get("text"), b.get("background")));
        assertThat(new java.util.HashSet<>(backgrounds.values())).as("six roles, six colours: " + backgrounds).hasSize(6);
        assertThat(badges).allSatisfy(b -> assertThat(b.get("color")).isNotEqualTo(b.get("background")));
        browser.until(d -> browser.find("#topology").getText().contains("(sharded)"), "the preview");
        page.screenshot("registry-deployment-page", 1700);
    }

    private List<String> ids() {
        return page.browser.all("#deployments tbody tr").stream().map(r -> r.getAttribute("data-deployment-id")).toList();
    }

    private static WebElement row(long backend) {
        return page.browser.find("#backend-list tr[data-backend-id='" + backend + "']");
    }

    private static String badge(long backend) {
        return row(backend).findElement(By.cssSelector(".badge")).getText();
    }

    private static String roleInApi(long backend) throws IOException {
        for (var connection : page.api("GET", "/api/backends/deployment/123", null).body()) {
            if (connection.get("backendDeploymentId").asLong() == backend) {
                return connection.get("role").asString();
            }
        }
        return null;
    }

    private static String call(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/file").build()).execute()) {
            return response.body().string();
        }
    }

    /** The router's change arrives through its waiting request: well within 10 s. */
    private static void awaitAnswer(BackendRouter router, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = call(router);
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(last).as("the router's answer after the change").isEqualTo(expected);
    }

    private static void awaitMembers(BackendRouter router, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> members = null;
        while (System.nanoTime() < deadline) {
            members = router.topology().group("files").map(g -> g.members().stream().map(BackendMember::name).toList()).orElse(List.of());
            if (members.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(members).as("the router's members of files").isEqualTo(expected);
    }
}

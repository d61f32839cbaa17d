package io.flhetero.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real browser for page tests: Debian's chromium, headless, driven over the DevTools protocol on 127.0.0.1. It
 * collects what a user's console would show as errors (console.error, uncaught exceptions, failed loads). Missing,
 * the calling test is skipped with a line saying so (failed in CI, which installs it).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts a browser with an empty page and its own profile folder. */
    public static HeadlessChromium start() throws IOException, InterruptedException {
        String binary = System.getenv().getOrDefault("CHROMIUM", "chromium");
        Path profile = Files.createTempDirectory("fl-hetero-chromium");
        Process process;
        try {
            process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                    "--window-size=1280,2000", "--user-data-dir=" + profile, "about:blank")
                    .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        } catch (IOException e) {
            delete(profile);
            Requirement.missing("browser", "no " + binary + " to run (" + e.getMessage() + "); install Debian's "
                    + "chromium, or point CHROMIUM at a Chromium or Chrome binary");
            throw e;
        }
        try {
            int port = port(process, profile);
            String page = pageSocket(port);
            Listener listener = new Listener();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(page), listener)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
            listener.browser.complete(browser);
            browser.call("Runtime.enable", null);
            browser.call("Log.enable", null);
            browser.call("Page.enable", null);
            return browser;
        } catch (Exception e) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            String log = Files.exists(profile.resolve("chromium.log")) ? Files.readString(profile.resolve(
                    "chromium.log")) : "";
            delete(profile);
            throw new IOException("chromium did not start: " + e + "\n" + log, e);
        }
    }

    /** Opens a file and waits for its load event. */
    public void open(Path file) throws Exception {
        loaded = new CompletableFuture<>();
        ObjectNode params = JSON.createObjectNode().put("url", file.toAbsolutePath().toUri().toString());
        call("Page.navigate", params);
        loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the expression failed in the page: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the whole page, not only the window. */
    public byte[] screenshot() throws Exception {
        JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true));
        return Base64.getDecoder().decode(shot.path("data").asText());
    }

    /** Console errors, uncaught exceptions and failed loads since the browser started. */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    private JsonNode call(String method, JsonNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private void received(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        JsonNode p = message.path("params");
        switch (message.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + p.path("entry").path("text").asText() + " "
                            + p.path("entry").path("url").asText());
                }
            }
            default -> {
            }
        }
    }

    /** The socket closed or failed: nothing more will answer. */
    private void gone(Throwable why) {
        answers.values().forEach(a -> a.completeExceptionally(why));
        loaded.completeExceptionally(why);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        List<ProcessHandle> children = process.descendants().toList(); // before they are re-parented
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
        delete(profile);
    }

    /** The DevTools port chromium writes into its profile folder once it listens. */
    private static int port(Process process, Path profile) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && lines.get(0).matches("\\d+")) {
                    return Integer.parseInt(lines.get(0));
                }
            }
            if (!process.isAlive()) {
                throw new IOException("chromium exited with " + process.exitValue());
            }
            Thread.sleep(100);
        }
        throw new IOException("chromium wrote no DevTools port within " + WAIT.toSeconds() + " s");
    }

    private static String pageSocket(int port) throws IOException, InterruptedException {
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(list.body())) {
            if (target.path("type").asText().equals("page")) {
                return target.path("webSocketDebuggerUrl").asText();
            }
        }
        throw new IOException("chromium lists no page: " + list.body());
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // Chromium may still be writing as it ends; a temporary folder left behind is harmless.
        }
    }

    /** Reassembles messages the socket delivers in parts and hands them to the browser. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        /** Set once the browser is built; messages come only after it sends its first call. */
        final CompletableFuture<HeadlessChromium> browser = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    browser.get(WAIT.toSeconds(), TimeUnit.SECONDS).received(JSON.readTree(text));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot handle what chromium sent: " + text, e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            browser.thenAccept(b -> b.gone(new IOException("chromium closed the connection: " + statusCode + " "
                    + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            browser.thenAccept(b -> b.gone(error));
        }
    }
}

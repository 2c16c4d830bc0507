package io.testbed.tls.client.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTPS git server for tests: the JDK's HttpsServer answering smart HTTP with JGit's
 * UploadPack over in-memory repositories made of incompressible blobs. {@code info/refs} is sent
 * with Content-Length, {@code git-upload-pack} chunked, so both body forms are exercised. The
 * repository named {@code broken} answers upload-pack with a side-band channel 3 error.
 */
public final class TestGitServer implements AutoCloseable {
    public static final String BAND3_MESSAGE = "upload-pack: simulated failure for tests";
    private static final Pattern PATH = Pattern.compile("^/([a-z0-9-]+)\\.git/(info/refs|git-upload-pack)$");

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Repository> repos = new ConcurrentHashMap<>();
    private final Map<String, Integer> objectCounts = new ConcurrentHashMap<>();

    public TestGitServer(SSLContext ssl) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ssl.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds a repository of {@code blobs} random blobs of {@code blobSize} bytes in one commit. */
    public TestGitServer withRepo(String name, int blobs, int blobSize) throws IOException {
        InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription(name));
        Random random = new Random(name.hashCode());
        try (ObjectInserter ins = repo.newObjectInserter()) {
            TreeFormatter tree = new TreeFormatter();
            for (int i = 0; i < blobs; i++) {
                byte[] data = new byte[blobSize];
                random.nextBytes(data);
                tree.append(String.format("blob-%03d.bin", i), FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, data));
            }
            ObjectId treeId = ins.insert(tree);
            CommitBuilder commit = new CommitBuilder();
            PersonIdent who = new PersonIdent("Testbed", "testbed@example.org", 1_700_000_000_000L, 0);
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setTreeId(treeId);
            commit.setMessage("test pack " + name + "\n");
            ObjectId commitId = ins.insert(commit);
            ins.flush();
            RefUpdate ru = repo.updateRef("refs/heads/main");
            ru.setNewObjectId(commitId);
            ru.forceUpdate();
            repo.updateRef(Constants.HEAD).link("refs/heads/main");
        }
        repos.put(name, repo);
        objectCounts.put(name, blobs + 2);
        return this;
    }

    public int objectCount(String name) {
        return objectCounts.get(name);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            String name = m.matches() ? m.group(1) : null;
            Repository repo = name == null ? null : repos.get(name.equals("broken") ? "pack-small" : name);
            if (repo == null) {
                byte[] body = "not found\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(404, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            if (m.group(2).equals("info/refs")) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                PacketLineOut pckOut = new PacketLineOut(buf);
                pckOut.writeString("# service=git-upload-pack\n");
                pckOut.end();
                UploadPack up = new UploadPack(repo);
                up.setBiDirectionalPipe(false);
                up.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(pckOut));
                ex.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-advertisement");
                ex.sendResponseHeaders(200, buf.size());
                ex.getResponseBody().write(buf.toByteArray());
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-result");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            if (name.equals("broken")) {
                ex.getRequestBody().readAllBytes();
                out.write(pkt("NAK\n".getBytes(StandardCharsets.UTF_8), -1));
                out.write(pkt(BAND3_MESSAGE.getBytes(StandardCharsets.UTF_8), 3));
                out.write("0000".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            UploadPack up = new UploadPack(repo);
            up.setBiDirectionalPipe(false);
            up.upload(ex.getRequestBody(), out, null);
        }
    }

    private static byte[] pkt(byte[] data, int band) {
        int len = data.length + 4 + (band >= 0 ? 1 : 0);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(String.format("%04x", len).getBytes(StandardCharsets.US_ASCII));
        if (band >= 0) {
            b.write(band);
        }
        b.writeBytes(data);
        return b.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

}

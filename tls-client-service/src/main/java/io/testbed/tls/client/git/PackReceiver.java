package io.testbed.tls.client.git;

import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.util.FileUtils;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses a pack stream into a temporary bare repository on disk with JGit's {@link PackParser}
 * (object checking on, thin packs refused, object ids hashed with the JDK's SHA-1: {@link PackSha1}), so memory
 * does not grow with the pack; the repository is deleted afterwards. A failure of the stream itself (TLS, socket, server) is passed through
 * unchanged; only what the parser itself rejects becomes a {@link PackRejectedException}.
 */
final class PackReceiver {

    private PackReceiver() {
    }

    /** Returns the object count after a complete, verified parse. */
    static int receive(InputStream pack, Path tempParent) throws IOException {
        PackSha1.useJdkUnlessSet();
        Path dir = tempParent == null ? Files.createTempDirectory("tls-client-pack-")
                : Files.createTempDirectory(tempParent, "tls-client-pack-");
        SourceWatch source = new SourceWatch(pack);
        try (FileRepository repo = (FileRepository) new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
            repo.create(true);
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                PackParser parser = inserter.newPackParser(source);
                parser.setObjectChecking(true);
                parser.setAllowThin(false);
                PackLock lock;
                try {
                    lock = parser.parse(NullProgressMonitor.INSTANCE);
                } catch (IOException | RuntimeException e) {
                    if (source.failure != null) {
                        throw source.failure;
                    }
                    throw new PackRejectedException("pack rejected: " + e.getMessage(), e);
                }
                inserter.flush();
                if (lock != null) {
                    lock.unlock();
                }
                return parser.getObjectCount();
            }
        } finally {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY | FileUtils.IGNORE_ERRORS);
        }
    }

    /** Remembers an I/O failure of the underlying stream so it is not mistaken for a bad pack. */
    private static final class SourceWatch extends FilterInputStream {
        IOException failure;

        SourceWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }
    }
}

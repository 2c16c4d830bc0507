package io.testbed.git.server.http;

import java.util.Arrays;

import io.testbed.git.server.metrics.GitServerMetrics;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.UploadPackFactory;

/**
 * Upload-pack sessions for every served repository. The {@code Git-Protocol} header is passed on, so
 * a client asking for protocol v2 gets it and one that does not gets v0; the bytes of every pack sent
 * are reported to {@link GitServerMetrics}.
 */
final class MeteredUploadPackFactory implements UploadPackFactory<HttpServletRequest> {

    private final GitServerMetrics metrics;

    MeteredUploadPackFactory(GitServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public UploadPack create(HttpServletRequest request, Repository repository) {
        UploadPack uploadPack = new UploadPack(repository);
        String protocol = request.getHeader("Git-Protocol");
        if (protocol != null) {
            uploadPack.setExtraParameters(Arrays.asList(protocol.split(":")));
        }
        String repo = (String) request.getAttribute(RegistryRepositoryResolver.REPO_ATTRIBUTE);
        uploadPack.setPostUploadHook(statistics -> metrics.packSent(repo, statistics.getTotalBytes()));
        return uploadPack;
    }
}

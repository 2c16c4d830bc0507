package io.testbed.gateway.download;

/**
 * Told of every download the gateway saw end, once, after its end is stored: the download with its
 * machine's stats ({@link Download#kernel()}, null if they could not be read). Implementations are
 * Spring beans; they run on the poller's thread and must not block.
 */
public interface DownloadEndListener {
    void ended(Download download);
}

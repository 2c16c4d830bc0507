package io.testbed.tls.client.git;

/**
 * The SHA-1 JGit uses to check a received pack (every object's id; the trailer is checked with the JDK's
 * {@code MessageDigest} either way): the JDK's {@code MessageDigest} ({@code jdkNative}), which the JVM runs with
 * the CPU's SHA instructions where there are some, instead of JGit's default pure-Java SHA-1 with collision
 * detection, which was about a sixth of a download thread's CPU (issue 19). Every object is still hashed and
 * checked; what is given up is only the detection of a crafted SHA-1 collision (SHAttered), which a pack from the
 * testbed's own git server cannot carry. An operator who wants it back starts the JVM with
 * {@code -Dorg.eclipse.jgit.util.sha1.implementation=java}: a value already set is left alone.
 */
public final class PackSha1 {
    /** JGit's system property, read each time JGit makes a SHA-1 (so before each {@code PackParser}). */
    public static final String PROPERTY = "org.eclipse.jgit.util.sha1.implementation";
    public static final String JDK = "jdkNative";

    private PackSha1() {
    }

    /** Makes JGit hash with the JDK's SHA-1 unless the JVM was told otherwise; idempotent. */
    public static void useJdkUnlessSet() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, JDK);
        }
    }
}

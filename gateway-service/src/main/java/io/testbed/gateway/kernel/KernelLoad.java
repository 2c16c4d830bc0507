package io.testbed.gateway.kernel;

/**
 * What one kernel said about itself in {@code Machines.List}: its machines and its capacity.
 *
 * @param machines       machines it has, the default live machine included
 * @param running        virtual-clock machines in state {@code running}: each keeps about one processor busy
 * @param maxMachines    its machine limit ({@code testbed.kernel.max-machines}); 0 from a kernel that does not say
 * @param processors     processors its JVM may use; 0 from a kernel that does not say
 */
public record KernelLoad(int machines, int running, int maxMachines, int processors) {

    /** Whether it cannot create another machine. */
    public boolean full() {
        return maxMachines > 0 && machines >= maxMachines;
    }
}

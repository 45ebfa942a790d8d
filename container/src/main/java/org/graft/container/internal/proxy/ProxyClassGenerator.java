package org.graft.container.internal.proxy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.graft.container.internal.gate.CallGate;
import org.graft.container.internal.gate.Target;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the bytecode of a proxy class: a final class implementing the service interfaces, whose every
 * method is
 *
 * <pre>{@code
 * VarHandle.acquireFence();                            // line 1: the direct path, uncounted
 * Object d = DIRECT;
 * if (d != null) return ((Iface) d).m(args);
 * Target t = gate.enter();                             // line 2: the counted path
 * try { r = ((Iface) t.instance).m(args); } catch (Throwable x) { t.exit(); throw x; }
 * t.exit(); return r;
 * }</pre>
 *
 * <p>{@code DIRECT} is a static volatile field of the class, which the gate sets to the implementation
 * while it links the proxy directly and to null otherwise. The two paths carry their own line numbers
 * so that a stack trace tells a call on the direct path from a counted one (why that is what an update
 * needs: {@link CallGate}'s implementation notes).
 *
 * <p>A plain invokeinterface per call: no reflection, no boxing, no argument array, and exceptions
 * reach the caller unchanged. {@code equals} and {@code hashCode} are Object's (identity of the proxy,
 * which is stable across versions); {@code toString} goes through the gate to the implementation.
 */
final class ProxyClassGenerator {
    private static final String GATE = Type.getInternalName(CallGate.class);
    private static final String TARGET = Type.getInternalName(Target.class);
    private static final String ENTER_DESC = "()L" + TARGET + ";";
    /** The static field of a proxy class that holds the implementation while the proxy is linked directly. */
    static final String DIRECT_FIELD = "DIRECT";
    /** The source file name the proxy's stack frames show. */
    static final String SOURCE_FILE = "GraftProxy";

    private ProxyClassGenerator() {
    }

    static byte[] generate(String className, List<Class<?>> interfaces) {
        String internalName = className.replace('.', '/');
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                // The generated code never merges two reference types in one slot; loading classes
                // here could only find the wrong loader.
                return "java/lang/Object";
            }
        };
        String[] interfaceNames = interfaces.stream().map(Type::getInternalName).toArray(String[]::new);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
                internalName, null, "java/lang/Object", interfaceNames);
        writer.visitSource(SOURCE_FILE, null);
        writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "gate", "L" + GATE + ";", null, null).visitEnd();
        writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, DIRECT_FIELD, "Ljava/lang/Object;", null, null)
                .visitEnd();
        writeConstructor(writer, internalName);
        for (Map.Entry<String, Delegation> entry : delegations(interfaces).entrySet()) {
            writeDelegation(writer, internalName, entry.getValue());
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** One method to generate: its name and descriptor, and the interface the target is called through. */
    private static final class Delegation {
        final String name;
        final String descriptor;
        final Class<?> owner;
        final Class<?>[] exceptions;

        Delegation(String name, String descriptor, Class<?> owner, Class<?>[] exceptions) {
            this.name = name;
            this.descriptor = descriptor;
            this.owner = owner;
            this.exceptions = exceptions;
        }
    }

    private static Map<String, Delegation> delegations(List<Class<?>> interfaces) {
        Map<String, Delegation> byNameAndDescriptor = new LinkedHashMap<>();
        byNameAndDescriptor.put("toString()Ljava/lang/String;",
                new Delegation("toString", "()Ljava/lang/String;", Object.class, new Class<?>[0]));
        for (Class<?> iface : interfaces) {
            for (Method method : iface.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || isIdentityMethod(method)) {
                    continue;
                }
                String descriptor = Type.getMethodDescriptor(method);
                // Same name and descriptor from several interfaces: one method serves them all. Same
                // name and parameters with other return types each get their own (a legal overload in
                // bytecode), so covariant redeclarations need no resolution.
                byNameAndDescriptor.putIfAbsent(method.getName() + descriptor,
                        new Delegation(method.getName(), descriptor, iface, method.getExceptionTypes()));
            }
        }
        return byNameAndDescriptor;
    }

    private static boolean isIdentityMethod(Method method) {
        String name = method.getName();
        Class<?>[] parameters = method.getParameterTypes();
        return (name.equals("hashCode") && parameters.length == 0)
                || (name.equals("equals") && parameters.length == 1 && parameters[0] == Object.class);
    }

    private static void writeConstructor(ClassWriter writer, String internalName) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(L" + GATE + ";)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitFieldInsn(Opcodes.PUTFIELD, internalName, "gate", "L" + GATE + ";");
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void writeDelegation(ClassWriter writer, String internalName, Delegation d) {
        String[] exceptions = new String[d.exceptions.length];
        for (int i = 0; i < exceptions.length; i++) {
            exceptions[i] = Type.getInternalName(d.exceptions[i]);
        }
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, d.name, d.descriptor, null, exceptions);
        mv.visitCode();
        Type[] arguments = Type.getArgumentTypes(d.descriptor);
        Type returnType = Type.getReturnType(d.descriptor);
        int targetSlot = 1;
        for (Type argument : arguments) {
            targetSlot += argument.getSize();
        }
        Label directPath = new Label();
        Label countedPath = new Label();
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, null);
        boolean viaObject = d.owner == Object.class;

        mv.visitLabel(directPath);
        mv.visitLineNumber(CallGate.DIRECT_PATH_LINE, directPath);
        // Pins the load below any safepoint poll before it (CallGate's notes); no instruction on x86.
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/VarHandle", "acquireFence", "()V", false);
        mv.visitFieldInsn(Opcodes.GETSTATIC, internalName, DIRECT_FIELD, "Ljava/lang/Object;");
        mv.visitInsn(Opcodes.DUP);
        mv.visitJumpInsn(Opcodes.IFNULL, countedPath);
        invokeImplementation(mv, d, arguments, viaObject);
        mv.visitInsn(returnType.getOpcode(Opcodes.IRETURN));

        mv.visitLabel(countedPath);
        mv.visitLineNumber(CallGate.COUNTED_PATH_LINE, countedPath);
        mv.visitInsn(Opcodes.POP);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "gate", "L" + GATE + ";");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, GATE, "enter", ENTER_DESC, false);
        mv.visitVarInsn(Opcodes.ASTORE, targetSlot);

        mv.visitLabel(tryStart);
        mv.visitVarInsn(Opcodes.ALOAD, targetSlot);
        mv.visitFieldInsn(Opcodes.GETFIELD, TARGET, "instance", "Ljava/lang/Object;");
        invokeImplementation(mv, d, arguments, viaObject);
        mv.visitLabel(tryEnd);
        // The result (if any) stays on the operand stack below the exit call.
        mv.visitVarInsn(Opcodes.ALOAD, targetSlot);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, TARGET, "exit", "()V", false);
        mv.visitInsn(returnType.getOpcode(Opcodes.IRETURN));

        mv.visitLabel(handler);
        mv.visitVarInsn(Opcodes.ALOAD, targetSlot);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, TARGET, "exit", "()V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** With the implementation on the operand stack: casts it, loads the arguments and calls the method. */
    private static void invokeImplementation(MethodVisitor mv, Delegation d, Type[] arguments, boolean viaObject) {
        if (!viaObject) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, Type.getInternalName(d.owner));
        }
        int slot = 1;
        for (Type argument : arguments) {
            mv.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), slot);
            slot += argument.getSize();
        }
        if (viaObject) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Object", d.name, d.descriptor, false);
        } else {
            mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, Type.getInternalName(d.owner), d.name, d.descriptor, true);
        }
    }
}

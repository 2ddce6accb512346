package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public face of a Java module: the packages its descriptor exports, and every type named in
 * a public or protected signature of the types in them (supertypes, fields, constructors, methods,
 * their parameters, results, exceptions and type arguments). Use it to keep a library's API free
 * of its dependencies' types:
 *
 * <pre>{@code
 * ExportedSignatures api = ExportedSignatures.ofModuleContaining(MyStore.class);
 * assertThat(api.exportedPackages()).containsExactly("com.example.store");
 * assertThat(api.violations("org.shredzone.", "org.bouncycastle.")).isEmpty();
 * }</pre>
 *
 * A type from a package of the module that the module does not export counts as a violation too.
 */
public final class ExportedSignatures {

    private final ModuleDescriptor descriptor;
    private final List<Class<?>> exportedTypes;

    private ExportedSignatures(ModuleDescriptor descriptor, List<Class<?>> exportedTypes) {
        this.descriptor = descriptor;
        this.exportedTypes = List.copyOf(exportedTypes);
    }

    /**
     * Reads the module descriptor of the jar or class folder that holds a class, and loads the
     * public types of its exported packages (without initializing them).
     *
     * @param anyClass a class of the module
     * @return the module's public face
     * @throws IllegalStateException if the class does not come from a modular jar or folder
     */
    public static ExportedSignatures ofModuleContaining(Class<?> anyClass) {
        Path location = locationOf(anyClass);
        ModuleDescriptor descriptor = ModuleFinder.of(location).findAll().stream().findFirst()
                .map(ModuleReference::descriptor)
                .filter(found -> !found.isAutomatic())
                .orElseThrow(() -> new IllegalStateException(location + " holds no module-info.class"));
        Set<String> exported = unqualifiedExports(descriptor);
        List<Class<?>> types = new ArrayList<>();
        for (String className : classNames(location)) {
            String packageName = className.contains(".") ? className.substring(0, className.lastIndexOf('.')) : "";
            if (exported.contains(packageName)) {
                Class<?> type = load(className, anyClass.getClassLoader());
                if (isVisible(type)) {
                    types.add(type);
                }
            }
        }
        return new ExportedSignatures(descriptor, types);
    }

    /**
     * The public face of a library that has no module-info (it runs on the class path, or as the
     * automatic module its manifest names): every package of the jar or class folder that holds
     * a class counts as exported, as an automatic module's do.
     *
     * @param anyClass   a class of the library
     * @param moduleName the name it is known by, such as its {@code Automatic-Module-Name}
     * @return the library's public face
     */
    public static ExportedSignatures ofLibraryContaining(Class<?> anyClass, String moduleName) {
        Path location = locationOf(anyClass);
        List<Class<?>> types = new ArrayList<>();
        Set<String> packages = new TreeSet<>();
        for (String className : classNames(location)) {
            if (className.contains(".")) {
                packages.add(className.substring(0, className.lastIndexOf('.')));
            }
            Class<?> type = load(className, anyClass.getClassLoader());
            if (isVisible(type)) {
                types.add(type);
            }
        }
        return new ExportedSignatures(ModuleDescriptor.newAutomaticModule(moduleName).packages(packages).build(), types);
    }

    /** @return the module's name */
    public String moduleName() {
        return descriptor.name();
    }

    /** @return the packages the module exports to everyone */
    public Set<String> exportedPackages() {
        return unqualifiedExports(descriptor);
    }

    /** @return the public (and reachable protected) types of the exported packages */
    public List<Class<?>> exportedTypes() {
        return exportedTypes;
    }

    /**
     * Every public and protected declaration of the exported types, one line each, in a stable order:
     * the text of a checked-in API dump ({@link ApiDump}), so that any change to the API shows in review.
     * A line is the type's name, a colon, and the declaration with its modifiers and generic types, such as
     * {@code dev.autocert4j.AutoCert: public static dev.autocert4j.AutoCert$Builder builder()}.
     *
     * @return the declarations, sorted
     */
    public List<String> declarations() {
        Set<String> lines = new TreeSet<>();
        for (Class<?> type : exportedTypes) {
            String owner = type.getName() + ": ";
            lines.add(owner + typeDeclaration(type));
            for (Field field : type.getDeclaredFields()) {
                if (isApi(field) && !field.isSynthetic()) {
                    lines.add(owner + modifiers(field.getModifiers(), false) + field.getGenericType().getTypeName()
                            + " " + field.getName());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isApi(constructor) && !constructor.isSynthetic()) {
                    lines.add(owner + modifiers(constructor.getModifiers(), false) + typeParameters(constructor)
                            + type.getSimpleName() + signature(constructor));
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isApi(method) && !method.isSynthetic() && !method.isBridge()) {
                    lines.add(owner + modifiers(method.getModifiers(), method.isDefault()) + typeParameters(method)
                            + method.getGenericReturnType().getTypeName() + " " + method.getName() + signature(method));
                }
            }
        }
        return List.copyOf(lines);
    }

    private static String typeDeclaration(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        int modifiers = type.getModifiers() & ~(type.isInterface() ? Modifier.ABSTRACT : 0)
                & ~(type.isEnum() || type.isRecord() ? Modifier.FINAL | Modifier.STATIC : 0);
        StringBuilder line = new StringBuilder(modifiers(modifiers, false)).append(type.isSealed() ? "sealed " : "")
                .append(kind).append(' ')
                .append(type.getSimpleName()).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            line.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            line.append(type.isInterface() ? " extends " : " implements ").append(Stream.of(interfaces)
                    .map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    private static String modifiers(int modifiers, boolean isDefault) {
        int shown = modifiers & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                | Modifier.ABSTRACT);
        String text = Modifier.toString(shown);
        if (isDefault) {
            text = text.isEmpty() ? "default" : text + " default";
        }
        return text.isEmpty() ? "" : text + " ";
    }

    private static String typeParameters(Executable executable) {
        String parameters = typeParameters(executable.getTypeParameters());
        return parameters.isEmpty() ? "" : parameters + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Stream.of(variables).map(variable -> {
            List<String> bounds = Stream.of(variable.getBounds()).filter(bound -> bound != Object.class)
                    .map(Type::getTypeName).toList();
            return bounds.isEmpty() ? variable.getName() : variable.getName() + " extends " + String.join(" & ", bounds);
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String signature(Executable executable) {
        String parameters = Stream.of(executable.getGenericParameterTypes()).map(Type::getTypeName)
                .collect(Collectors.joining(", ", "(", ")"));
        if (executable.isVarArgs()) {
            parameters = parameters.substring(0, parameters.lastIndexOf("[]")) + "...)";
        }
        Type[] thrown = executable.getGenericExceptionTypes();
        return thrown.length == 0 ? parameters : parameters + " throws "
                + Stream.of(thrown).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    /**
     * Lists every place where an exported signature names a type from one of the given package
     * prefixes, or from a package of this module that it does not export.
     *
     * @param forbiddenPrefixes package prefixes such as {@code "org.shredzone."}
     * @return one line per violation, such as {@code "dev.example.Api#status() names org.shredzone.acme4j.Status"}
     */
    public List<String> violations(String... forbiddenPrefixes) {
        Set<String> own = descriptor.packages();
        Set<String> exported = exportedPackages();
        return violations(exportedTypes, name -> {
            for (String prefix : forbiddenPrefixes) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            String packageName = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
            return own.contains(packageName) && !exported.contains(packageName);
        });
    }

    /**
     * Lists every place where a public or protected signature of the given types names a type
     * whose (binary) name the predicate forbids.
     *
     * @param types     the types to look at
     * @param forbidden says which type names must not appear
     * @return one line per violation, in a stable order
     */
    public static List<String> violations(Collection<Class<?>> types, java.util.function.Predicate<String> forbidden) {
        Set<String> found = new TreeSet<>();
        for (Class<?> type : types) {
            String owner = type.getName();
            check(owner + " extends", type.getGenericSuperclass(), forbidden, found);
            for (Type implemented : type.getGenericInterfaces()) {
                check(owner + " implements", implemented, forbidden, found);
            }
            for (TypeVariable<?> variable : type.getTypeParameters()) {
                check(owner + "<" + variable.getName() + ">", variable, forbidden, found);
            }
            for (Field field : type.getDeclaredFields()) {
                if (isApi(field)) {
                    check(owner + "#" + field.getName(), field.getGenericType(), forbidden, found);
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isApi(constructor)) {
                    checkExecutable(owner + "#<init>", constructor, forbidden, found);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isApi(method) && !method.isSynthetic() && !method.isBridge()) {
                    checkExecutable(owner + "#" + method.getName() + "()", method, forbidden, found);
                    check(owner + "#" + method.getName() + "() returns", method.getGenericReturnType(), forbidden, found);
                }
            }
        }
        return List.copyOf(found);
    }

    private static void checkExecutable(String where, Executable executable, java.util.function.Predicate<String> forbidden,
                                        Set<String> found) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(where + " takes", parameter, forbidden, found);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            check(where + " throws", thrown, forbidden, found);
        }
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            check(where + " <" + variable.getName() + ">", variable, forbidden, found);
        }
    }

    private static void check(String where, Type type, java.util.function.Predicate<String> forbidden, Set<String> found) {
        Set<Class<?>> named = new HashSet<>();
        collect(type, named, new HashSet<>());
        for (Class<?> referenced : named) {
            if (forbidden.test(referenced.getName())) {
                found.add(where + " names " + referenced.getName());
            }
        }
    }

    /** Collects the classes a type names, through arrays, type arguments, bounds and owners. */
    private static void collect(Type type, Set<Class<?>> named, Set<Type> visited) {
        if (type == null || !visited.add(type)) {
            return;
        }
        if (type instanceof Class<?> plain) {
            Class<?> element = plain;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (!element.isPrimitive()) {
                named.add(element);
            }
        } else if (type instanceof ParameterizedType parameterized) {
            collect(parameterized.getRawType(), named, visited);
            collect(parameterized.getOwnerType(), named, visited);
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, named, visited);
            }
        } else if (type instanceof WildcardType wildcard) {
            Stream.concat(Stream.of(wildcard.getUpperBounds()), Stream.of(wildcard.getLowerBounds()))
                    .forEach(bound -> collect(bound, named, visited));
        } else if (type instanceof TypeVariable<?> variable) {
            for (Type bound : variable.getBounds()) {
                collect(bound, named, visited);
            }
        } else if (type instanceof GenericArrayType array) {
            collect(array.getGenericComponentType(), named, visited);
        }
    }

    private static boolean isApi(Member member) {
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** A type is part of the API if it is public, or a protected member type, and so is every type enclosing it. */
    private static boolean isVisible(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            int modifiers = t.getModifiers();
            boolean reachable = Modifier.isPublic(modifiers) || (t.getEnclosingClass() != null && Modifier.isProtected(modifiers));
            if (!reachable) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> unqualifiedExports(ModuleDescriptor descriptor) {
        if (descriptor.isAutomatic()) {
            return new TreeSet<>(descriptor.packages());
        }
        return descriptor.exports().stream().filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Path locationOf(Class<?> anyClass) {
        try {
            return Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Cannot tell where " + anyClass.getName() + " was loaded from", e);
        }
    }

    private static List<String> classNames(Path location) {
        try {
            Stream<String> entries;
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    entries = files.map(file -> location.relativize(file).toString().replace('\\', '/')).toList().stream();
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    entries = jar.stream().map(java.util.zip.ZipEntry::getName).toList().stream();
                }
            }
            return entries.filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
                    .filter(name -> !name.endsWith("module-info.class") && !name.endsWith("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the classes in " + location, e);
        }
    }

    private static Class<?> load(String className, ClassLoader loader) {
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Cannot load " + className, e);
        }
    }
}

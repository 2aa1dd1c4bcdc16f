using System.Reflection;
using System.Reflection.Emit;

namespace Verify.Verification.Tests.Architecture;

/// <summary>
/// Which folders of a project use which, read from the compiled assembly rather than the text: every type a type
/// names in its signatures (base type, interfaces, fields, properties, parameters, returns) or in its method bodies
/// (the IL's type, method and field tokens), lambdas and iterators included, so no way of writing a reference escapes
/// it. A folder is the namespace below the project's root (Verify.Verification.Claims → Claims).
/// </summary>
internal static class FolderGraph
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Folder → the folders its types use (itself excluded); the root namespace is "(root)".</summary>
    public static SortedDictionary<string, SortedSet<string>> Of(Assembly assembly, string root)
    {
        var graph = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (Folder(type, root) is not { } from) continue;
            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var used in Uses(type))
                if (used.Assembly == assembly && Folder(used, root) is { } to && to != from) edges.Add(to);
        }
        return graph;
    }

    /// <summary>A cycle in the graph as "A → B → A", or null when it has none.</summary>
    public static string? Cycle(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        string? Visit(string n)
        {
            if (state.GetValueOrDefault(n) == 2) return null;
            if (state.GetValueOrDefault(n) == 1) return string.Join(" → ", path.SkipWhile(p => p != n).Append(n));
            state[n] = 1;
            path.Add(n);
            foreach (var m in graph.TryGetValue(n, out var next) ? next : [])
                if (Visit(m) is { } c) return c;
            path.RemoveAt(path.Count - 1);
            state[n] = 2;
            return null;
        }
        return graph.Keys.Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string? Folder(Type type, string root)
    {
        while (type.DeclaringType is { } outer) type = outer;
        string? ns = type.Namespace;
        if (ns is null || !(ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal))) return null;
        return ns == root ? "(root)" : ns[(root.Length + 1)..].Split('.')[0];
    }

    private static IEnumerable<Type> Uses(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter || !found.Add(t)) return;
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) Add(a);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            foreach (var t in BodyTypes(m)) Add(t);
        }
        return found;
    }

    /// <summary>The types a method body names: the declaring types of the methods and fields it uses, and the types of its type tokens.</summary>
    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { yield break; }
        if (il is null) yield break;
        var module = method.Module;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            int size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try { member = module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (Exception) { }
                if (member is Type t) yield return t;
                else if (member?.DeclaringType is { } declaring) yield return declaring;
                if (member is MethodInfo { IsGenericMethod: true } g) foreach (var a in g.GetGenericArguments()) yield return a;
                if (member is FieldInfo fi) yield return fi.FieldType;
            }
            i += size;
        }
    }
}

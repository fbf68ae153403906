"""
Plain graph algorithms on a network's DAG: nodes are ids, edges are (src, dst) pairs. No tensors here,
no messages: spec.py turns what these find into errors a student can act on.
"""


def successors(nodes, edges):
    adj = {n: [] for n in nodes}
    for src, dst in edges:
        adj[src].append(dst)
    return adj


def find_cycles(nodes, edges, limit=5):
    """Up to `limit` cycles as (ids, edge index): ids run around the cycle starting and ending at the
    source of the edge that closes it, e.g. (["a2", "h1", "a1", "h2", "a2"], 7) for edge 7 = a2 → h1."""
    out_edges = {n: [] for n in nodes}
    for k, (src, dst) in enumerate(edges):
        out_edges[src].append((k, dst))
    state = dict.fromkeys(nodes, 0)  # 0 unseen, 1 on the DFS path, 2 done
    cycles = []
    for root in nodes:  # iterative DFS: user graphs must not hit Python's recursion limit
        if state[root]:
            continue
        path, stack = [root], [iter(out_edges[root])]
        state[root] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            k, dst = step
            if state[dst] == 0:
                state[dst] = 1
                path.append(dst)
                stack.append(iter(out_edges[dst]))
            elif state[dst] == 1:  # a back edge: dst is on the current path
                loop = path[path.index(dst):]
                cycles.append(([path[-1]] + loop, k))
                if len(cycles) >= limit:
                    return cycles
    return cycles


def reachable(start, nodes, edges):
    """The set of nodes reachable from start, start included."""
    adj = successors(nodes, edges)
    seen, todo = {start}, [start]
    while todo:
        for nxt in adj[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def topo_order(nodes, edges):
    """Kahn's algorithm, stable: ties keep the order of `nodes`. Assumes a DAG."""
    indeg = dict.fromkeys(nodes, 0)
    for _, dst in edges:
        indeg[dst] += 1
    adj = successors(nodes, edges)
    rank = {n: i for i, n in enumerate(nodes)}
    ready = sorted((n for n in nodes if indeg[n] == 0), key=rank.get)
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for nxt in adj[n]:
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                ready.append(nxt)
                ready.sort(key=rank.get)
    assert len(order) == len(nodes), "topo_order needs an acyclic graph"
    return order

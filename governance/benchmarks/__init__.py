"""The figures ``signoff bench`` measures, each beside a baseline measured in the same run.

``catalogue`` names every figure and the module that measures it; ``figure`` holds what they
share (cases, the worst of them, the JSON shape); each other module measures one figure or
prepares what several need (a populated database, a server on loopback, an SMTP clock).
"""

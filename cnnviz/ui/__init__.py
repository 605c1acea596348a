"""The only part of cnnviz that imports Streamlit: page setup, widgets, caches and URL state.

Pages wire these together: widgets -> cached pure calls -> figure builders -> st.plotly_chart.
"""
